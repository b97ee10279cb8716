"""Shop news in the admin: each merchant lists, posts, edits and deletes its own shops'
items only, through the ownership mechanism every shop-owned snippet uses
(merchants.admin_guards); the city's editors see every shop's and may hide any."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column

from merchants.admin_guards import OwnDeleteBulkAction, ShopOwnedSnippetViewSet

from .forms import NewsItemForm
from .models import NewsItem


class NewsDeleteBulkAction(OwnDeleteBulkAction):
    models = [NewsItem]


news_edit_handler = ObjectList(
    [
        FieldPanel("shop"),
        FieldPanel("text", widget=forms.Textarea(attrs={"rows": 4})),
        FieldPanel("photo"),
        FieldPanel("ends_on"),
        FieldPanel("hidden", permission="news.hide_newsitem"),
    ],
    base_form_class=NewsItemForm,
)


class NewsItemViewSet(ShopOwnedSnippetViewSet):
    model = NewsItem
    icon = "info-circle"
    menu_label = _("Shop news")
    add_to_admin_menu = True
    menu_order = 212
    copy_view_enabled = False
    list_display = [
        "__str__",
        "shop",
        Column("posted_at", label=_("posted")),
        "ends_on",
        Column("hidden_at", label=_("hidden by the city on")),
    ]
    ordering = ["-posted_at", "-pk"]
    edit_handler = news_edit_handler
