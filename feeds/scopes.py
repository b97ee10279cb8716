"""What a feed lists, and the version of it that answers ETag and Last-Modified.

A feed is the town's, one shop's or one product category's: the visible products of the
published, public shops in it, and in a shop's its visible news items. Its version is read
in two aggregate queries (three for a shop), whatever the number of products: a product
edited, hidden, shown or deleted, a shop published, unpublished or made private, a news
item posted, edited, hidden or deleted, each changes it.
"""

import hashlib
from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language

from merchants.models import MerchantPage
from news.models import NewsItem
from products.models import Product, ProductCategory, ProductImage

# The Atom feeds: the latest NEWS_COUNT products new or back in stock in NEWS_DAYS.
NEWS_COUNT = 50
NEWS_DAYS = 30


class Scope:
    def __init__(self, shop=None, category=None):
        self.shop, self.category = shop, category

    @classmethod
    def from_request(cls, request, shop_id=None, category=None):
        """The scope a feed URL names, read once per request (the conditional headers and
        the feed itself ask for it). A shop that is not public answers 404."""
        if not hasattr(request, "_feed_scope"):
            scope = cls()
            if shop_id is not None:
                scope.shop = get_object_or_404(public_shops(), pk=shop_id)
            if category is not None:
                scope.category = get_object_or_404(ProductCategory, slug=category)
            request._feed_scope = scope
        return request._feed_scope

    @cached_property
    def shops(self):
        if self.shop is not None:  # found among the public shops already
            return MerchantPage.objects.filter(pk=self.shop.pk)
        return public_shops()

    def _products(self):
        """The products of the scope's shops, hidden ones too."""
        products = Product.objects.filter(shop__in=self.shops)
        return products.filter(category=self.category) if self.category else products

    def products(self):
        """The visible products, with what a feed writes of them, shop by shop."""
        return self._products().filter(is_active=True).for_cards().order_by("shop_id", "pk")

    def products_with_photos(self):
        """What Google's product feed and Meta's catalogue list: both refuse a product
        without a photo (image_link is required)."""
        return self.products().filter(Exists(ProductImage.objects.filter(product=OuterRef("pk"))))

    def news(self, now=None):
        """The latest products new or back in stock, newest first, annotated `news_at`."""
        since = (now or timezone.now()) - timedelta(days=NEWS_DAYS)
        return (
            self.products()
            .filter(Q(created_at__gte=since) | Q(restocked_at__gte=since))
            .annotate(news_at=Greatest("created_at", Coalesce("restocked_at", "created_at")))
            .order_by("-news_at", "-pk")[:NEWS_COUNT]
        )

    def shop_news(self):
        """A shop's feed also carries the shop's visible news items, newest first; the
        town's and a category's do not."""
        if self.shop is None or self.category is not None:
            return NewsItem.objects.none()
        items = NewsItem.objects.visible().filter(shop=self.shop).select_related("shop")
        return items.newest_first()[:NEWS_COUNT]

    @cached_property
    def version(self):
        products = self._products().aggregate(
            latest=Max("updated_at"),
            count=Count("pk"),
            shown=Count("pk", filter=Q(is_active=True)),
        )
        shops = self.shops.aggregate(latest=Max("last_published_at"), count=Count("pk"))
        if self.shop is None or self.category is not None:
            return products, shops
        # An item posted, edited, hidden, shown or deleted changes the shop's feed.
        news = NewsItem.objects.filter(shop=self.shop).aggregate(
            latest=Max("updated_at"), count=Count("pk")
        )
        return products, shops, news

    def last_modified(self):
        dates = [group["latest"] for group in self.version if group["latest"]]
        return max(dates, default=None)

    def etag(self, request, kind):
        """A digest of everything the feed depends on. The day is in it: the Atom feeds'
        window and the date of products on order move with it."""
        parts = (
            kind,
            self.shop and self.shop.pk,
            self.category and self.category.pk,
            request.get_host(),
            get_language(),
            timezone.localdate(),
            self.version,
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def public_shops():
    return MerchantPage.objects.live().public()
