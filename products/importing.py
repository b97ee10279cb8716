"""Import a shop's products from a spreadsheet: ours, or a Shopify or WooCommerce export.

`read(data)` turns the bytes of a CSV file into rows, whatever its encoding (UTF-8 with or
without BOM, Windows-1252) and separator (`;` or `,`); `parse(shop, data)` recognises the
format by its header, validates every row and says, row by row, what is wrong and what
would be created or updated; `apply(plan)` writes it all or nothing, with bulk writes and
one search-index refresh (a task, after commit), never a save per row.

A product already in the shop is updated, not duplicated: found by its reference (sku),
or by its name when the file gives no reference. What a cell holds is stored as text:
"=SUM(A1)" stays "=SUM(A1)" (and the CSV exports neutralise it on the way out).
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from home.slugs import free_slug

from .models import Availability, Product, ProductCategory, announce_restock
from .tasks import reindex_products

OURS, SHOPIFY, WOOCOMMERCE = "portal", "shopify", "woocommerce"
FORMAT_NAMES = {OURS: "Portail", SHOPIFY: "Shopify", WOOCOMMERCE: "WooCommerce"}

# Our documented columns, with the French headers a shopkeeper may type instead.
OUR_COLUMNS = {
    "name": ("name", "nom", "produit"),
    "price": ("price", "prix"),
    "description": ("description",),
    "category": ("category", "catégorie", "categorie"),
    "availability": ("availability", "disponibilité", "disponibilite", "stock"),
    "sku": ("sku", "référence", "reference", "ref"),
}
AVAILABILITY_WORDS = {
    Availability.IN_STOCK: ("in_stock", "in stock", "en stock", "disponible", "oui", "yes", "1"),
    Availability.LIMITED: ("limited", "stock limité", "stock limite", "limité", "limite"),
    Availability.ON_ORDER: ("on_order", "on order", "sur commande", "onbackorder", "backorder"),
    Availability.OUT_OF_STOCK: (
        "out_of_stock",
        "out of stock",
        "outofstock",
        "épuisé",
        "epuise",
        "rupture",
        "non",
        "no",
        "0",
    ),
}
NAME_MAX = Product._meta.get_field("name").max_length
SKU_MAX = Product._meta.get_field("sku").max_length
SHORT_MAX = Product._meta.get_field("short_description").max_length
PRICE_MAX = Decimal("999999.99")


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported; the message says why, for the person."""


@dataclass
class Row:
    line: int  # the line of the file, as a spreadsheet numbers it (the header is 1)
    name: str = ""
    price: Decimal | None = None
    description: str = ""
    category: ProductCategory | None = None
    availability: str = Availability.IN_STOCK
    sku: str = ""
    is_active: bool = True
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    existing: Product | None = None
    # Set by `apply`: the product written (created or updated), or None when unchanged.
    written: Product | None = None
    # The fields this line gives a value for: an existing product keeps the others.
    given: set = field(default_factory=lambda: {"name", "price"})
    # Other fields of the product this line sets (a catalogue source's: former price,
    # brand, its id…); each is written like the others, when given and changed.
    extra: dict = field(default_factory=dict)

    @property
    def action(self):
        return "update" if self.existing else "create"


@dataclass
class Plan:
    shop: object
    format: str
    rows: list

    @property
    def errors(self):
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.errors

    @property
    def created(self):
        return sum(1 for row in self.rows if not row.existing)

    @property
    def updated(self):
        return sum(1 for row in self.rows if row.existing)


# Reading the file


def decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("This file is not a text (CSV) file."))


def check_size(size):
    """Refuse a file over PORTAL_IMPORT_MAX_BYTES (the upload form asks before reading it)."""
    if size > settings.PORTAL_IMPORT_MAX_BYTES:
        raise UnreadableFile(
            _("This file is too large: %(size)s MB at most.")
            % {"size": settings.PORTAL_IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def read(data, allow_empty=False):
    """The header and the rows of a CSV file, as lists of stripped strings.

    A file of more than PORTAL_IMPORT_MAX_ROWS product lines is refused as soon as the
    line after the last one allowed is read: neither read to its end nor validated. A
    header alone is refused too, unless `allow_empty`: a catalogue source's file may be
    empty for a while, and its sync's safety valve decides what that means."""
    check_size(len(data))
    if b"\x00" in data:
        raise UnreadableFile(_("This file is not a text (CSV) file."))
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    limit = settings.PORTAL_IMPORT_MAX_ROWS
    records, lines = [], 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            record = [cell.strip() for cell in record]
            records.append(record)
            if len(records) > 1 and any(record):
                lines += 1
                if lines > limit:  # the rest is not even read
                    message = _(
                        "This file has more than %(max)s product lines (at least %(count)s): "
                        "import at most %(max)s at a time, in several files. Nothing was "
                        "imported."
                    ) % {
                        "max": number_format(limit, force_grouping=True),
                        "count": number_format(lines, force_grouping=True),
                    }
                    raise UnreadableFile(message)
    except csv.Error as error:
        message = _("This CSV file cannot be read: %(error)s") % {"error": error}
        raise UnreadableFile(message) from None
    while records and not any(records[-1]):
        records.pop()
    if len(records) < (1 if allow_empty else 2):
        raise UnreadableFile(_("This file has no product: a header line and one line a product."))
    return records[0], records[1:]


def detect(header):
    names = {cell.lower() for cell in header}
    lowered = [cell.lower() for cell in header]
    repeated = sorted({cell for cell in lowered if cell and lowered.count(cell) > 1})
    if repeated:
        raise UnreadableFile(
            _("The column %(name)s appears twice: keep one.") % {"name": repeated[0]}
        )
    if {"handle", "title", "variant price"} <= names:
        return SHOPIFY
    if {"name", "regular price"} <= names:
        return WOOCOMMERCE
    if any(alias in names for alias in OUR_COLUMNS["name"]) and any(
        alias in names for alias in OUR_COLUMNS["price"]
    ):
        return OURS
    raise UnreadableFile(
        _(
            "The columns of this file are not recognised. Use our columns (name, price, "
            "description, category, availability, sku), or a product export of Shopify "
            "or WooCommerce."
        )
    )


# From each format to rows


def _records_as_dicts(header, records):
    keys = [cell.lower() for cell in header]
    for number, record in enumerate(records, start=2):
        if any(record):
            yield number, dict(zip(keys, record + [""] * (len(keys) - len(record)), strict=False))


def _ours(header, records):
    keys = {cell.lower() for cell in header}
    column = {
        name: next((alias for alias in aliases if alias in keys), None)
        for name, aliases in OUR_COLUMNS.items()
    }
    for line, cells in _records_as_dicts(header, records):
        yield line, {name: cells.get(key, "") if key else "" for name, key in column.items()}


def _shopify(header, records):
    """One product a Handle: its rows (one a variant or an image) are merged; the first
    variant gives the price and the reference."""
    products = {}
    for line, cells in _records_as_dicts(header, records):
        handle = cells.get("handle", "")
        if not handle:
            continue
        product = products.setdefault(
            handle,
            {"line": line, "name": "", "price": "", "sku": "", "description": "", "category": ""},
        )
        product.setdefault("availability", "")
        product["name"] = product["name"] or cells.get("title", "")
        product["description"] = product["description"] or cells.get("body (html)", "")
        product["category"] = product["category"] or cells.get("type", "")
        if not product["price"] and cells.get("variant price"):
            product["price"] = cells["variant price"]
            product["sku"] = cells.get("variant sku", "")
            quantity = cells.get("variant inventory qty", "")
            if re.fullmatch(r"-?\d+", quantity, re.ASCII):
                product["availability"] = "in_stock" if int(quantity) > 0 else "out_of_stock"
        status = (cells.get("status") or cells.get("published") or "").lower()
        if status:
            product["active"] = status in ("active", "true")
    for product in products.values():
        yield product.pop("line"), product


def _woocommerce(header, records):
    for line, cells in _records_as_dicts(header, records):
        if cells.get("type", "simple").lower() == "variation":
            continue  # a variation's price is its parent's business; the parent is a row
        in_stock = cells.get("in stock?", "")
        yield (
            line,
            {
                "name": cells.get("name", ""),
                "price": cells.get("regular price", ""),
                "sku": cells.get("sku", ""),
                "description": cells.get("short description", "") or cells.get("description", ""),
                "category": cells.get("categories", "").split(",")[0].split(">")[-1].strip(),
                "availability": {"1": "in_stock", "0": "out_of_stock"}.get(in_stock, in_stock),
                "active": cells.get("published", "1") != "-1"
                and cells.get("published", "1") != "0",
            },
        )


READERS = {OURS: _ours, SHOPIFY: _shopify, WOOCOMMERCE: _woocommerce}


# Validating


def parse_price(text):
    cleaned = text.replace("€", "").replace("EUR", "").replace("\xa0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(".", "")  # 1.234,50
    cleaned = cleaned.replace(",", ".")
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not price.is_finite():
        return None
    return price


def validate(line, cells, categories=None):
    """A Row from one line's cells, with the reasons it cannot be imported in `errors`."""
    categories = categories or {}
    row = Row(line=line)
    row.name = " ".join(cells.get("name", "").split())
    if not row.name:
        row.errors.append(_("The name is missing."))
    elif len(row.name) > NAME_MAX:
        row.errors.append(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX})

    price_text = cells.get("price", "")
    price = parse_price(price_text) if price_text else None
    if not price_text:
        row.errors.append(_("The price is missing."))
    elif price is None:
        row.errors.append(_("“%(price)s” is not a price.") % {"price": price_text[:40]})
    elif price < 0:
        row.errors.append(_("The price cannot be negative."))
    elif price > PRICE_MAX or price != price.quantize(Decimal("0.01")):
        row.errors.append(
            _("“%(price)s” is not a price in euros and cents.") % {"price": price_text}
        )
    else:
        row.price = price

    row.sku = cells.get("sku", "")
    if len(row.sku) > SKU_MAX:
        row.errors.append(_("The reference is longer than %(max)s characters.") % {"max": SKU_MAX})

    description = cells.get("description", "")
    row.description = (
        " ".join(strip_tags(description).split()) if "<" in description else description
    )

    availability = cells.get("availability", "").lower()
    if availability:
        found = next(
            (value for value, words in AVAILABILITY_WORDS.items() if availability in words), None
        )
        if found is None:
            row.errors.append(
                _("“%(value)s” is not an availability: in stock, limited, on order, out of stock.")
                % {"value": cells.get("availability", "")[:40]}
            )
        else:
            row.availability = found

    category = cells.get("category", "")
    if category:
        row.category = categories.get(category.lower())
        if row.category is None:
            row.warnings.append(
                _("No category “%(category)s” on the portal: the product has none.")
                % {"category": category[:60]}
            )
    if "active" in cells:
        row.is_active = bool(cells["active"])
        row.given.add("is_active")
    if row.sku:
        row.given.add("sku")
    if row.description:
        row.given.update({"short_description", "description"})
    if availability:
        row.given.add("availability")
    if row.category is not None:
        row.given.add("category_id")
    return row


def parse(shop, data):
    header, records = read(data)
    kind = detect(header)
    categories = {category.name.lower(): category for category in ProductCategory.objects.all()}
    rows = [validate(line, cells, categories) for line, cells in READERS[kind](header, records)]
    _match_existing(shop, rows)
    return Plan(shop=shop, format=kind, rows=rows)


def _match_existing(shop, rows):
    existing = list(shop.products.all())
    by_sku = {product.sku: product for product in existing if product.sku}
    by_name = {product.name.lower(): product for product in existing}
    seen_skus, seen_names, matched = {}, {}, {}
    for row in rows:
        if row.sku:
            if row.sku in seen_skus:
                row.errors.append(
                    _("The reference %(sku)s is also on line %(line)s.")
                    % {"sku": row.sku, "line": seen_skus[row.sku]}
                )
            seen_skus.setdefault(row.sku, row.line)
            row.existing = by_sku.get(row.sku)
        else:
            key = row.name.lower()
            if key and key in seen_names:
                row.errors.append(
                    _("“%(name)s” is also on line %(line)s: give each a reference (sku).")
                    % {"name": row.name, "line": seen_names[key]}
                )
            seen_names.setdefault(key, row.line)
            row.existing = by_name.get(key)
        if row.existing is not None and row.existing.is_synced:
            # What its catalogue source gives is changed there, not by a file (Product.is_synced).
            row.errors.append(
                _(
                    "%(name)s comes from your catalogue source: change it there, or detach it "
                    "from the source in its form."
                )
                % {"name": row.existing.name}
            )
        if row.existing is not None:
            if row.existing.pk in matched:
                row.errors.append(
                    _("Line %(line)s already updates this product.")
                    % {"line": matched[row.existing.pk]}
                )
            matched.setdefault(row.existing.pk, row.line)


# Writing


def _values(row):
    return {
        "name": row.name,
        "price": row.price,
        "short_description": row.description[:SHORT_MAX],
        "category_id": row.category.pk if row.category else None,
        "availability": row.availability,
        "sku": row.sku,
        "is_active": row.is_active,
        **row.extra,
    }


def apply(plan):
    """Create and update every product of a valid plan in one transaction.

    Returns (created, updated); a product the file leaves as it was is not written, so
    importing the same file twice writes nothing the second time."""
    if not plan.is_valid:
        raise ValueError("A plan with errors is not applied.")
    shop = plan.shop
    now = timezone.now()
    with transaction.atomic():
        taken = set(shop.products.values_list("slug", flat=True))
        restocked_any = False
        new, changes = [], defaultdict(list)
        for row in plan.rows:
            values = _values(row)
            values["description"] = as_rich_text(row.description)
            if row.existing:
                product = row.existing
                values = {name: value for name, value in values.items() if name in row.given}
                if "availability" in values and Product.comes_back_in_stock(
                    product.availability, values["availability"]
                ):
                    values["restocked_at"] = now
                    restocked_any = True
                fields = tuple(
                    name for name, value in values.items() if getattr(product, name) != value
                )
                for name in fields:
                    setattr(product, name, values[name])
                if fields:
                    product.updated_at = now
                    changes[fields].append(product)
                    row.written = product
            else:
                product = Product(shop=shop, **values)
                product.slug = free_slug(row.name, taken, fallback="produit")
                new.append(product)
                row.written = product
        Product.objects.bulk_create(new, batch_size=500)
        # One UPDATE per batch and per set of changed fields: Django's CASE per field and
        # row grows quickly, so the batches stay small and carry only what changed.
        for fields, products in changes.items():
            Product.objects.bulk_update(products, [*fields, "updated_at"], batch_size=100)
        changed = [product for products in changes.values() for product in products]
        if restocked_any:
            announce_restock()
        ids = [product.pk for product in new + changed]
        if ids:
            # The search index is refreshed by the worker once the import is committed: the
            # merchant does not wait for it (seconds for thousands of products), and a
            # failed refresh leaves the products safely stored.
            transaction.on_commit(partial(reindex_products.enqueue, ids), robust=True)
    return len(new), len(changed)


def as_rich_text(text):
    return f"<p>{escape(text)}</p>" if text else ""
