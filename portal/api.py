"""The open data API: the town's shops and their products, read-only, public fields only.

Wagtail's API (v2) at /api/v2/: `shops/` lists the published, public shop pages and
`products/` the products residents may see. The fields are each model's `api_fields`;
nothing else can be asked for, filtered or ordered by. Documented in README.md.
"""

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError
from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.api.v2 import filters
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from home.models import PortalSettings
from merchants.models import Closure, MerchantPage
from products.models import Product

READ_ONLY = ["get", "head", "options"]
QUERY_PARAMETERS = frozenset(["limit", "offset", "fields", "order", "rich_text_format", "format"])


class FieldsFilter(filters.FieldsFilter):
    """Wagtail's filter by field (?postcode=7000), answering 400 rather than 500 to a value
    the field cannot hold (?latitude=north)."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValueError, ValidationError) as error:
            raise BadRequestError("field filter error: not a valid value") from error


class ReadOnlyEndpoint:
    """What both endpoints share: GET only, fields filters answering 400, and an id or a
    number that cannot be one (?id=abc, ?offset=10**20) answering 404 or 400, never 500."""

    http_method_names = READ_ONLY
    filter_backends = [FieldsFilter, filters.OrderingFilter]
    known_query_parameters = QUERY_PARAMETERS

    def find_object(self, queryset, request):
        try:
            return super().find_object(queryset, request)
        except (ValueError, OverflowError, ValidationError):
            return None  # not an id: not found

    def handle_exception(self, exc):
        if isinstance(exc, (OverflowError, DataError, IntegrityError)):
            exc = BadRequestError("a number is out of range")
        return super().handle_exception(exc)


def shop_fields_lookups(prefix=""):
    """What a shop's api_fields read, for prefetch_related: a listing then costs the same
    queries for 3 shops or 50, and so do products with their shop (?fields=shop(*))."""
    return [
        f"{prefix}neighbourhood",
        f"{prefix}categories",
        f"{prefix}opening_hours",
        f"{prefix}logo__renditions",
        # The closures field lists these: the coming ones, not the shop's history.
        Prefetch(
            f"{prefix}closures",
            queryset=Closure.objects.filter(ends_on__gte=timezone.localdate()),
        ),
    ]


class DeliveryFeeField(Field):
    """For the open data API: the fee a resident pays for delivery, the shop's own or the
    town's default (read once per request); null when the shop does not deliver."""

    def get_attribute(self, shop):
        return shop

    def to_representation(self, shop):
        if not shop.offers_delivery:
            return None
        portal = PortalSettings.for_request(self.context["request"])
        return str(shop.effective_delivery_fee(portal))


class ShopsAPIViewSet(ReadOnlyEndpoint, PagesAPIViewSet):
    name = "shops"
    model = MerchantPage
    # No other page type (?type=), no page tree, no search: shops, filtered by their fields.
    meta_fields = ["type", "detail_url", "html_url", "slug", "first_published_at"]
    detail_only_fields = []
    listing_default_fields = [
        *meta_fields,
        "id",
        "title",
        "tagline",
        "categories",
        "neighbourhood",
        "postcode",
        "latitude",
        "longitude",
    ]

    @classmethod
    def get_field_serializer_overrides(cls, model):
        # The model declares `delivery_fee`; what residents pay is served here, also when a
        # product lists its shop (?fields=shop(*)), whose fields this endpoint serializes.
        return {
            **super().get_field_serializer_overrides(model),
            "delivery_fee": DeliveryFeeField(read_only=True),
        }

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields[:]

    def get_queryset(self):
        public = self.get_base_queryset()  # live, without view restriction, of this site
        return (
            MerchantPage.objects.filter(pk__in=public.values("pk"))
            .prefetch_related(*shop_fields_lookups())
            .order_by("id")
        )


class ProductHtmlUrlField(Field):
    """The product's public page, as an absolute URL (like a shop's html_url)."""

    def get_attribute(self, product):
        return product

    def to_representation(self, product):
        shop_url = product.shop.get_full_url(self.context["request"])
        if shop_url is None:
            return None
        return shop_url + product.shop.reverse_subpage("product_detail", args=[product.slug])


class ProductsAPIViewSet(ReadOnlyEndpoint, BaseAPIViewSet):
    name = "products"
    model = Product
    meta_fields = [
        "type",
        "detail_url",
        APIField("html_url", serializer=ProductHtmlUrlField(read_only=True)),
    ]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "name",
        "shop",
        "price",
        "availability",
    ]

    def get_queryset(self):
        # Only what residents may see: active products of published, public shops.
        return (
            Product.objects.visible()
            .for_cards()
            .prefetch_related(*shop_fields_lookups("shop__"))
            .order_by("id")
        )


api_router = WagtailAPIRouter("api")
api_router.register_endpoint("shops", ShopsAPIViewSet)
api_router.register_endpoint("products", ProductsAPIViewSet)

# Included by portal/urls.py at /api/v2/.
app_name = api_router.url_namespace
urlpatterns = api_router.get_urlpatterns()
