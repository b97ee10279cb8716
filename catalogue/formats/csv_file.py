"""A CSV file at an address, in the format the product import reads (products/importing.py):
the portal's columns, or a Shopify or WooCommerce product export. One document, no next
page; each product line becomes an item named by its line ("ligne 4")."""

from django.utils.translation import gettext as _

from products import importing

from ..items import Item, NotACatalogue, Page
from .common import check_all, looks_like_html, plain


def first_url(source_url):
    return source_url.strip()


def read(response):
    if looks_like_html(response):
        raise NotACatalogue(
            _("This address answers with a web page, not a CSV file: check the address.")
        )
    try:
        header, records = importing.read(response.body, allow_empty=True)
        kind = importing.detect(header)
    except importing.UnreadableFile as error:
        raise NotACatalogue(str(error)) from None
    items = [_item(line, cells) for line, cells in importing.READERS[kind](header, records)]
    return Page(check_all(items))


def _item(line, cells):
    # The import's own checks of a line (name, price, availability, reference); the
    # portal's categories are the sync's business: the source's name is kept as written.
    row = importing.validate(line, cells)
    item = Item(
        source_key=row.sku or row.name,
        where=_("line %(line)s") % {"line": line},
        name=row.name,
        description=plain(cells.get("description")),
        price=row.price,
        availability=row.availability,
        sku=row.sku,
        is_active=row.is_active,
        errors=row.errors,
    )
    if category := " ".join(cells.get("category", "").split()):
        item.categories = [category]
    return item
