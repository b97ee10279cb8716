"""The product's edit form in the admin: what matters first on a phone, the rest on a
second tab."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)

from .forms import ProductForm

product_edit_handler = TabbedInterface(
    [
        ObjectList(
            [
                FieldPanel("shop"),
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("price"), FieldPanel("unit_label")]),
                FieldPanel("availability"),
                InlinePanel("images", heading=_("Photos"), label=_("photo"), max_num=8),
            ],
            heading=_("Essentials"),
        ),
        ObjectList(
            [
                FieldPanel("short_description"),
                FieldPanel("description"),
                FieldPanel("category"),
                FieldPanel("former_price"),
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
