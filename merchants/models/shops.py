import re
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from home import page_cache
from home.admin_forms import PortalPageForm
from home.blocks import BodyBlock
from home.models import PortalSettings
from home.pages import ViewRestrictionsInOneQuery
from home.pagination import CountedWithRowsPaginator
from home.search_text import fold, normalise

from ..hours import first_whole_day_open, ready_time, shop_status
from ..widgets import CoordinateInput
from .inlines import HoursAndClosures, Place
from .querysets import MerchantPageManager
from .taxonomy import Neighbourhood, ShopCategory

POSTCODE = re.compile(r"^[0-9A-Za-z]{4,5}$")
PRODUCTS_PER_PAGE = 24


class AwayPayment(models.TextChoices):
    """How a resident pays a shop whose goods it collects at a collection point or receives
    from the town's courier. The portal takes no money either way."""

    ON_HANDOVER = "on_handover", _("Paid on hand-over, to the point or the courier, for the shop")
    BEFOREHAND = "beforehand", _("Paid to the shop beforehand, by the shop's own means")


PREPARATION_TIMES = [
    (timedelta(minutes=15), _("15 minutes")),
    (timedelta(minutes=30), _("30 minutes")),
    (timedelta(hours=1), _("1 hour")),
    (timedelta(hours=2), _("2 hours")),
    (timedelta(hours=3), _("3 hours")),
    (timedelta(hours=4), _("4 hours")),
    (timedelta(hours=6), _("6 hours")),
    (timedelta(days=1), _("1 day")),
    (timedelta(days=2), _("2 days")),
]


def parse_postcodes(text):
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def validate_postcodes(text):
    bad = [code for code in parse_postcodes(text) if not POSTCODE.match(code)]
    if bad:
        raise ValidationError(
            _("These are not postcodes: %(codes)s. Separate postcodes with commas."),
            params={"codes": ", ".join(bad)},
        )


def visible_products_by_shop(request):
    """{shop id: [(slug, updated_at)]} of every visible product, read once per request."""
    cached = getattr(request, "_portal_products_by_shop", None)
    if cached is None:
        from products.models import Product

        cached = {}
        rows = (
            Product.objects.visible().order_by("name").values_list("shop_id", "slug", "updated_at")
        )
        for shop_id, slug, updated_at in rows:
            cached.setdefault(shop_id, []).append((slug, updated_at))
        if request is not None:
            request._portal_products_by_shop = cached
    return cached


class PageView(NamedTuple):
    """What a shop route shows, set on the request as `request.page_view` for whoever counts
    page views (insights reads it; the shop page does not know who does)."""

    shop_id: int
    product_slug: str | None = None


class MerchantPage(HoursAndClosures, Place, ViewRestrictionsInOneQuery, RoutablePageMixin, Page):
    base_form_class = PortalPageForm  # image choosers hold to the user's own photos
    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    categories = ParentalManyToManyField(
        ShopCategory, verbose_name=_("categories"), related_name="shops", blank=True
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shops",
    )

    # street_address, postcode, town, latitude, longitude: Place

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    order_email = models.EmailField(
        _("e-mail for requests"),
        help_text=_("Private: requests are sent here. Never shown on the site."),
    )
    website = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    legal_name = models.CharField(_("legal name of the business"), max_length=160, blank=True)
    company_number = models.CharField(_("company number"), max_length=30, blank=True)
    store_code = models.CharField(
        _("store code (Google Business Profile)"),
        max_length=64,
        blank=True,
        help_text=_(
            "The store code of the shop in its Google Business Profile: the local inventory "
            "feed names the shop by it."
        ),
    )

    offers_pickup = models.BooleanField(_("pick-up in the shop"), default=True)
    pickup_instructions = models.TextField(_("pick-up instructions"), max_length=500, blank=True)
    offers_delivery = models.BooleanField(_("home delivery"), default=False)
    delivery_fee = models.DecimalField(
        _("delivery fee (EUR)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty to use the town's default fee."),
    )
    delivery_postcodes = models.CharField(
        _("delivery postcodes"),
        max_length=300,
        blank=True,
        validators=[validate_postcodes],
        help_text=_("Separated by commas, such as 7000, 7011."),
    )

    grouped_pickup = models.BooleanField(
        _("grouped pick-up at a collection point"),
        default=False,
        help_text=_(
            "Residents may collect your goods with other shops' at a collection point the "
            "town runs (open late); you take the parcel there."
        ),
    )
    grouped_pickup_payment = models.CharField(
        _("payment for a grouped pick-up"),
        max_length=12,
        choices=AwayPayment.choices,
        default=AwayPayment.ON_HANDOVER,
    )
    courier_delivery = models.BooleanField(
        _("delivery by the town's courier"),
        default=False,
        help_text=_(
            "The courier the town assigns to your shop picks your parcels up and delivers "
            "them, in its delivery windows and for its own fee."
        ),
    )
    courier_payment = models.CharField(
        _("payment for a courier delivery"),
        max_length=12,
        choices=AwayPayment.choices,
        default=AwayPayment.ON_HANDOVER,
    )
    prepayment_instructions = models.TextField(
        _("how to pay you beforehand"),
        max_length=500,
        blank=True,
        help_text=_("Bank transfer, payment link…: shown to residents who must pay beforehand."),
    )

    requests_paused_until = models.DateField(
        _("requests paused until (inclusive)"),
        null=True,
        blank=True,
        help_text=_(
            "Holidays, illness: the shop stays visible but is not taking requests until then."
        ),
    )
    pause_reason = models.CharField(_("reason shown to residents"), max_length=120, blank=True)
    preparation_time = models.DurationField(
        _("usual preparation time"),
        choices=PREPARATION_TIMES,
        default=timedelta(hours=2),
        help_text=_(
            "On accepting a request, its ready time is filled in this long from now, or "
            "from your next opening when you are closed by then. You can still change it."
        ),
    )

    objects = MerchantPageManager()

    # The shop's page and its products' show the neighbourhood and the logo: read with the
    # shop when it is served (home.pages.specific_page).
    served_with = ("neighbourhood", "logo")

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("logo"),
        InlinePanel("gallery_images", heading=_("Photos"), label=_("photo"), max_num=12),
        FieldPanel("description"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("neighbourhood"),
    ]
    contact_panels = [
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldRowPanel(
                    [
                        FieldPanel("latitude", widget=CoordinateInput("lat")),
                        FieldPanel("longitude", widget=CoordinateInput("lng")),
                    ]
                ),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("public_email"),
                FieldPanel("order_email"),
                FieldPanel("website"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("company_number"), FieldPanel("store_code")],
            heading=_("Business"),
        ),
    ]
    hours_panels = [
        InlinePanel("opening_hours", heading=_("Weekly opening hours"), label=_("opening")),
        InlinePanel("closures", heading=_("Exceptional closures"), label=_("closure")),
    ]
    service_panels = [
        MultiFieldPanel(
            [FieldPanel("offers_pickup"), FieldPanel("pickup_instructions")],
            heading=_("Pick-up in the shop"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offers_delivery"),
                FieldPanel("delivery_fee"),
                FieldPanel("delivery_postcodes"),
            ],
            heading=_("Home delivery"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("grouped_pickup"), FieldPanel("grouped_pickup_payment")]),
                FieldRowPanel([FieldPanel("courier_delivery"), FieldPanel("courier_payment")]),
                FieldPanel("prepayment_instructions"),
            ],
            heading=_("Collection points and the town's courier"),
        ),
        MultiFieldPanel(
            [FieldPanel("preparation_time")],
            heading=_("Answering requests"),
        ),
        MultiFieldPanel(
            [FieldPanel("requests_paused_until"), FieldPanel("pause_reason")],
            heading=_("Pause requests"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Shop")),
            ObjectList(contact_panels, heading=_("Address and contact")),
            ObjectList(hours_panels, heading=_("Opening hours")),
            ObjectList(service_panels, heading=_("Services")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields("neighbourhood", [index.SearchField("name")]),
        index.FilterField("offers_pickup"),
        index.FilterField("offers_delivery"),
        # What the public search matches: the same normalisation as the query.
        index.SearchField("search_text"),
        index.AutocompleteField("autocomplete_text"),
    ]

    parent_page_types = ["merchants.MerchantIndexPage"]
    subpage_types = []

    # The open data API (portal/api.py): what the public page shows, nothing private (the
    # order e-mail, members, admin access).
    api_fields = [
        APIField("tagline"),
        APIField("logo", serializer=ImageRenditionField("max-400x400")),
        APIField(
            "categories",
            serializer=serializers.SlugRelatedField(slug_field="name", many=True, read_only=True),
        ),
        APIField(
            "neighbourhood",
            serializer=serializers.SlugRelatedField(slug_field="name", read_only=True),
        ),
        APIField("street_address"),
        APIField("postcode"),
        APIField("town"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("phone"),
        APIField("public_email"),
        APIField("website"),
        APIField("facebook_url"),
        APIField("instagram_url"),
        APIField("offers_pickup"),
        APIField("pickup_instructions"),
        APIField("offers_delivery"),
        APIField("delivery_fee"),  # the fee residents pay: portal/api.py serves it
        APIField(
            "delivery_postcodes",
            serializer=serializers.ListField(source="delivery_postcode_list", read_only=True),
        ),
        APIField("requests_paused_until"),
        APIField("pause_reason"),
        APIField("opening_hours"),
        APIField("closures"),
    ]

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def clean(self):
        super().clean()
        if self.offers_delivery and not parse_postcodes(self.delivery_postcodes):
            raise ValidationError({"delivery_postcodes": _("Give the postcodes you deliver to.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.pays_beforehand and not self.prepayment_instructions.strip():
            raise ValidationError(
                {
                    "prepayment_instructions": _(
                        "Say how residents pay you beforehand, or let them pay on hand-over."
                    )
                }
            )

    @property
    def pays_beforehand(self):
        """Whether a mode the shop offers away from the shop asks to pay it beforehand."""
        return (self.grouped_pickup and self.grouped_pickup_payment == AwayPayment.BEFOREHAND) or (
            self.courier_delivery and self.courier_payment == AwayPayment.BEFOREHAND
        )

    # Search --------------------------------------------------------------------------

    def searchable_text(self):
        """Everything a resident may search a shop by, as written."""
        description = self._meta.get_field("description").get_searchable_content(self.description)
        words = [self.title, self.tagline, *description, self.street_address, self.town]
        words += [category.name for category in self.categories.all()]
        if self.neighbourhood_id:
            words.append(self.neighbourhood.name)
        return " ".join(words)

    def search_text(self):
        return normalise(self.searchable_text())

    def autocomplete_text(self):
        return " ".join(fold(self.title))

    # Opening hours -------------------------------------------------------------------

    def status(self, now=None):
        status = shop_status(*self.hours_and_closures(), now)
        if now is None and status.changes_at:
            # A cached page showing "open until 18:30" is kept until 18:30 at the latest.
            page_cache.expires_at(status.changes_at)
        return status

    @cached_property
    def current_status(self):
        return self.status()

    def weekly_hours(self, today=None):
        """[(weekday name, [ranges], is today)] from Monday to Sunday, for the hours table."""
        from django.utils.dates import WEEKDAYS

        today = today or timezone.localdate()
        by_day = {day: [] for day in range(7)}
        for hours in self.opening_hours.all():
            by_day[hours.weekday].append(hours)
        return [(WEEKDAYS[day], by_day[day], day == today.weekday()) for day in range(7)]

    def ready_time(self, now=None):
        """When a request accepted at `now` can be ready, by the shop's preparation time."""
        return ready_time(*self.hours_and_closures(), now or timezone.now(), self.preparation_time)

    def first_whole_day_open(self, since):
        """When the shop has first been open for a whole day since `since` (None: no hours)."""
        return first_whole_day_open(*self.hours_and_closures(), since)

    def upcoming_closures(self, today=None):
        today = today or timezone.localdate()
        return [c for c in self.closures.all() if c.ends_on >= today]

    # Services ------------------------------------------------------------------------

    def requests_paused(self, today=None):
        today = today or timezone.localdate()
        return self.requests_paused_until is not None and today <= self.requests_paused_until

    def is_open_on(self, day):
        """Whether the shop opens at all on `day` (weekly hours, exceptional closures)."""
        if any(c.starts_on <= day <= c.ends_on for c in self.closures.all()):
            return False
        return any(h.weekday == day.weekday() for h in self.opening_hours.all())

    @property
    def delivery_postcode_list(self):
        return parse_postcodes(self.delivery_postcodes)

    def delivers_to(self, postcode):
        return self.offers_delivery and postcode.strip().upper() in {
            code.upper() for code in self.delivery_postcode_list
        }

    def effective_delivery_fee(self, portal_settings=None):
        if self.delivery_fee is not None:
            return self.delivery_fee
        if portal_settings is None:
            site = self.get_site()
            if site is None:  # a page outside every site: the model's default applies
                return PortalSettings._meta.get_field("default_delivery_fee").default
            portal_settings = PortalSettings.for_site(site)
        return portal_settings.default_delivery_fee

    @property
    def cover_image(self):
        first = next(iter(self.gallery_images.all()), None)
        return first

    # Products ------------------------------------------------------------------------

    def visible_products(self):
        from products.models import Product

        if self.pk is None:  # the preview of a shop not saved yet has no products
            return Product.objects.none()
        return self.products.filter(is_active=True)

    def get_sitemap_urls(self, request=None):
        """The shop page, then each of its visible products' pages: posters and search
        engines lead to products too."""
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base = urls[0]["location"]
        for slug, updated_at in visible_products_by_shop(request).get(self.pk, ()):
            path_ = self.reverse_subpage("product_detail", kwargs={"product_slug": slug})
            urls.append({"location": base + path_, "lastmod": updated_at})
        return urls

    @path("")
    def shop_home(self, request):
        def page_of_products():
            products = self.visible_products().for_cards().order_by("-is_featured", "name")
            paginator = CountedWithRowsPaginator(products, PRODUCTS_PER_PAGE)
            return paginator.get_page(request.GET.get("page"))

        # Read (the shop's categories, hours, closures and gallery, its products and their
        # count) only when the template shows them: a shared page keeps what it shows of them
        # until the next purge ({% shared_fragment %}), and then reads none of them.
        request.page_view = PageView(self.pk)
        return self.render(
            request,
            context_overrides={
                "shop": SimpleLazyObject(self.with_details),
                "products": SimpleLazyObject(page_of_products),
            },
        )

    def with_details(self):
        """The shop, with what its page shows of it read in a few queries."""
        from ..structured_data import prefetch_details

        prefetch_details(self, with_photos=True)
        return self

    def get_route_paths(self):
        """The shop's address and its products', old ones included. When the shop's slug
        changes, Wagtail creates a redirect from each of these under the old address
        (WAGTAILREDIRECTS_AUTO_CREATE): its redirects match exact paths only, and posters
        and shared posts carry products' addresses too."""
        return self.shop_and_product_paths(
            {
                *self.products.values_list("slug", flat=True),
                *self.old_product_slugs.values_list("slug", flat=True),
            }
        )

    def get_cached_paths(self):
        """What a front cache (CDN, reverse proxy) drops when the shop is published or
        unpublished: its page, and its products' pages, which show the shop."""
        return self.shop_and_product_paths(self.products.values_list("slug", flat=True))

    def shop_and_product_paths(self, slugs):
        return [
            "/",
            *("/" + self.reverse_subpage("product_detail", args=[slug]) for slug in sorted(slugs)),
        ]

    def renamed_product_url(self, slug, request=None):
        """Where the product that had `slug` in this shop is now, if residents may see it."""
        old = (
            self.old_product_slugs.filter(
                slug=slug,
                product__is_active=True,
                product__shop__in=MerchantPage.objects.live().public(),
            )
            .select_related("product__shop")
            .first()
        )
        return old.product.get_url(request=request) if old else None

    @path("<slug:product_slug>/")
    def product_detail(self, request, product_slug):
        # Any product holding the slug, even hidden, wins over an old address. Its photos
        # (Product.photos) are read only when the page renders the parts that show them: a
        # shared page keeps those ({% shared_fragment %}) and then reads only this row.
        product = (
            self.products.select_related("category", "source").filter(slug=product_slug).first()
        )
        if product is None:
            moved_to = self.renamed_product_url(product_slug, request=request)
            if moved_to is None:
                raise Http404
            return HttpResponsePermanentRedirect(moved_to)
        if not product.is_active:
            raise Http404
        request.page_view = PageView(self.pk, product_slug)
        return self.render(
            request,
            template="products/product.html",
            context_overrides={"product": product, "shop_url": self.get_url(request=request)},
        )
