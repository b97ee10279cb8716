"""The product's edit form in the admin: what matters first on a phone, the rest on a
second tab.

A product a catalogue source manages (Product.is_synced) gets the same form with the
fields the source gives read-only (SOURCE_MANAGED_FIELDS: not in the form, so that a posted
value is ignored) and its photos shown rather than edited, under a note that names the
source, says when it last synchronised and offers to detach the product."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    Panel,
    TabbedInterface,
)

from .forms import ProductForm
from .models import SOURCE_MANAGED_FIELDS


class SourceNotePanel(Panel):
    """“Managed by <source> — synchronised 2 hours ago”, the photos the source gives and
    the button that detaches the product from it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "products/admin/source_note.html"

        def get_context_data(self, parent_context=None):
            return {
                **super().get_context_data(parent_context),
                "product": self.instance,
                "source": self.instance.source,
                "photos": self.instance.images.select_related("image"),
            }


def edit_handler(synced):
    def field(name):
        return FieldPanel(name, read_only=synced and name in SOURCE_MANAGED_FIELDS)

    photos = (
        SourceNotePanel(heading=_("Catalogue source"))
        if synced
        else InlinePanel("images", heading=_("Photos"), label=_("photo"), max_num=8)
    )
    return TabbedInterface(
        [
            ObjectList(
                [
                    # A synced product stays in its source's shop.
                    FieldPanel("shop", read_only=synced),
                    field("name"),
                    FieldRowPanel([field("price"), FieldPanel("unit_label")]),
                    field("availability"),
                    photos,
                ],
                heading=_("Essentials"),
            ),
            ObjectList(
                [
                    field("short_description"),
                    field("description"),
                    FieldPanel("category"),
                    field("former_price"),
                    FieldPanel("sku"),
                    FieldPanel("slug"),
                    FieldPanel("is_active"),
                    FieldPanel("is_featured"),
                ],
                heading=_("More details"),
            ),
        ],
        base_form_class=ProductForm,
    )


product_edit_handler = edit_handler(synced=False)
synced_product_edit_handler = edit_handler(synced=True)
