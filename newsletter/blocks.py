"""The blocks of a newsletter. Each block but the text gives `items` (name, shop, absolute
url) to one template, and the same items make the plain-text part of the e-mail.

"""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from events.models import EventPage
from events.recurrence import next_occurrences
from products.models import Product
from subscriptions.links import absolute

NEW_THIS_WEEK_DAYS = 7


class ItemsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)

    def items(self, value):
        raise NotImplementedError

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["items"] = self.items(value)
        return context

    class Meta:
        template = "newsletter/blocks/items.html"


class ShopsBlock(ItemsBlock):
    shops = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="merchants.MerchantPage"), label=_("Shops")
    )

    def items(self, value):
        return [
            {"name": shop.title, "shop": "", "url": absolute(shop.url)}
            for shop in value["shops"]
            if shop is not None and shop.live
        ]

    class Meta:
        icon = "home"
        label = _("Chosen shops")


def product_items(products):
    return [
        {"name": product.name, "shop": product.shop.title, "url": absolute(product.get_url())}
        for product in products
    ]


class ProductsBlock(ItemsBlock):
    products = blocks.ListBlock(SnippetChooserBlock("products.Product"), label=_("Products"))

    def items(self, value):
        chosen = [product.pk for product in value["products"] if product is not None]
        visible = Product.objects.visible().filter(pk__in=chosen).select_related("shop")
        by_pk = {product.pk: product for product in visible}
        return product_items(by_pk[pk] for pk in chosen if pk in by_pk)

    class Meta:
        icon = "tag"
        label = _("Chosen products")


class NewThisWeekBlock(ItemsBlock):
    """Filled when the newsletter is written out: the products added in the last week."""

    limit = blocks.IntegerBlock(label=_("At most"), default=8, min_value=1, max_value=30)

    def items(self, value):
        since = timezone.now() - timedelta(days=NEW_THIS_WEEK_DAYS)
        products = (
            Product.objects.visible()
            .filter(created_at__gte=since)
            .select_related("shop")
            .order_by("-created_at", "pk")[: value["limit"]]
        )
        return product_items(products)

    class Meta:
        icon = "pick"
        label = _("New this week (automatic)")


def event_items(occurrences):
    return [
        {
            "name": occurrence.event.title,
            "shop": date_format(timezone.localtime(occurrence.start), "l j F, H:i"),
            "url": absolute(occurrence.event.get_url()),
        }
        for occurrence in occurrences
    ]


class EventsBlock(ItemsBlock):
    """Events the editor chooses, each at its next date (one that is over is left out)."""

    events = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="events.EventPage"), label=_("Events")
    )

    def items(self, value):
        chosen = [event.pk for event in value["events"] if event is not None]
        events = EventPage.objects.shown().filter(pk__in=chosen)
        found = {o.event.pk: o for o in next_occurrences(events, timezone.now())}
        return event_items(found[pk] for pk in chosen if pk in found)

    class Meta:
        icon = "date"
        label = _("Chosen events")


class ComingEventsBlock(ItemsBlock):
    """Filled when the newsletter is written out: the town's events of the coming days, each
    at its next date."""

    days = blocks.IntegerBlock(label=_("Days ahead"), default=14, min_value=1, max_value=90)
    limit = blocks.IntegerBlock(label=_("At most"), default=8, min_value=1, max_value=30)

    def items(self, value):
        now = timezone.now()
        soon = now + timedelta(days=value["days"])
        events = EventPage.objects.shown().not_over(timezone.localdate(now))
        found = [o for o in next_occurrences(events, now) if o.start < soon]
        return event_items(found[: value["limit"]])

    class Meta:
        icon = "date"
        label = _("Coming events (automatic)")


class NewsletterBody(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    shops = ShopsBlock()
    products = ProductsBlock()
    events = EventsBlock()
    new_this_week = NewThisWeekBlock()
    coming_events = ComingEventsBlock()
