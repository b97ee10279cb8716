import re
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
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
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.admin_forms import PortalPageForm
from home.blocks import BodyBlock
from home.models import Photo, PortalSettings
from home.search_text import fold, normalise

from .hours import ClosurePeriod, HoursRange, local_wall_clock, repeated_hour, shop_status
from .widgets import CoordinateInput

POSTCODE = re.compile(r"^[0-9A-Za-z]{4,5}$")
PRODUCTS_PER_PAGE = 24


class SlugNamedSnippet(models.Model):
    """A short list editors maintain (shop categories, neighbourhoods): a name and a slug."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class ShopCategory(index.Indexed, SlugNamedSnippet):
    icon = models.CharField(
        _("symbol"),
        max_length=8,
        blank=True,
        help_text=_("An emoji shown on the category tile, such as 🥖."),
    )

    panels = [*SlugNamedSnippet.panels, FieldPanel("icon")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(SlugNamedSnippet.Meta):
        verbose_name = _("shop category")
        verbose_name_plural = _("shop categories")


class Neighbourhood(index.Indexed, SlugNamedSnippet):
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(SlugNamedSnippet.Meta):
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")


def parse_postcodes(text):
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def validate_postcodes(text):
    bad = [code for code in parse_postcodes(text) if not POSTCODE.match(code)]
    if bad:
        raise ValidationError(
            _("These are not postcodes: %(codes)s. Separate postcodes with commas."),
            params={"codes": ", ".join(bad)},
        )


class MerchantIndexPage(Page):
    base_form_class = PortalPageForm
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["merchants.MerchantPage"]
    max_count = 1

    class Meta:
        verbose_name = _("shop index")

    def get_context(self, request, *args, **kwargs):
        from .filters import ShopFilter

        context = super().get_context(request, *args, **kwargs)
        # Shops kept up to date come first; the stale ones follow, each group by name.
        stale_before = timezone.now() - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)
        shops = (
            MerchantPage.objects.live()
            .public()
            .descendant_of(self)
            .with_last_update()
            .annotate(
                is_stale=Case(
                    When(last_update__gte=stale_before, then=False),
                    default=True,
                    output_field=BooleanField(),
                )
            )
            .order_by("is_stale", "title")
        )
        shop_filter = ShopFilter(request.GET or None, queryset=shops, request=request)
        # An invalid value (an old link to a renamed category) is reported next to its
        # field; the filters that are valid still apply.
        paginator = Paginator(shop_filter.qs.for_cards(), settings.PORTAL_SHOPS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(filter=shop_filter, shops=page, paginator=paginator)
        return context


class MerchantPageQuerySet(PageQuerySet):
    def open_at(self, now=None):
        """Shops open at `now`, as a database filter (see hours.py for the same rule in Python)."""
        now = now or timezone.now()
        wall = local_wall_clock(now)
        today, clock = wall.date(), wall.time()
        yesterday = today - timedelta(days=1)
        hours = OpeningHours.objects.filter(shop=OuterRef("pk"))
        closures = Closure.objects.filter(shop=OuterRef("pk"))
        started, not_ended = Q(opens__lte=clock), Q(closes__gt=clock)
        if repeat := repeated_hour(now):
            # The clock runs through this hour a second time: what started or ended in it
            # did so on the first pass (hours.instant).
            started |= Q(opens__gte=repeat[0], opens__lt=repeat[1])
            not_ended &= ~Q(closes__gte=repeat[0], closes__lt=repeat[1])
        same_day = hours.filter(started, weekday=today.weekday()).filter(
            not_ended | Q(closes__lte=F("opens"))
        )
        after_midnight = hours.filter(
            not_ended, weekday=yesterday.weekday(), closes__lte=F("opens")
        )
        closed_today = closures.filter(starts_on__lte=today, ends_on__gte=today)
        closed_yesterday = closures.filter(starts_on__lte=yesterday, ends_on__gte=yesterday)
        return self.filter(
            (Exists(same_day) & ~Exists(closed_today))
            | (Exists(after_midnight) & ~Exists(closed_yesterday))
        )

    def with_last_update(self):
        """Annotate `last_update`: the latest of the page's publication and its products'
        edits. A shop whose `last_update` is PORTAL_STALE_AFTER_DAYS old is "stale"."""
        from products.models import Product

        latest_product = Subquery(
            Product.objects.filter(shop=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        # Greatest() is NULL on SQLite when either side is: each side falls back on the other.
        return self.annotate(
            last_update=Greatest(
                Coalesce("last_published_at", latest_product),
                Coalesce(latest_product, "last_published_at"),
            )
        )

    def for_cards(self):
        """Everything a shop card shows, in a fixed number of queries."""
        return self.select_related("neighbourhood", "logo").prefetch_related(
            "categories",
            "opening_hours",
            "closures",
            Prefetch(
                "gallery_images",
                queryset=ShopGalleryImage.objects.select_related("image").prefetch_related(
                    "image__renditions"
                ),
            ),
        )


MerchantPageManager = PageManager.from_queryset(MerchantPageQuerySet)


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


class DeliveryFeeField(serializers.Field):
    """For the open data API: the fee a resident pays for delivery, the shop's own or the
    town's default (read once per request); null when the shop does not deliver."""

    def get_attribute(self, shop):
        return shop

    def to_representation(self, shop):
        if not shop.offers_delivery:
            return None
        portal = PortalSettings.for_request(self.context["request"])
        return str(shop.effective_delivery_fee(portal))


class PageView(NamedTuple):
    """What a shop route shows, set on the request as `request.page_view` for whoever counts
    page views (insights reads it; the shop page does not know who does)."""

    shop_id: int
    product_slug: str | None = None


class MerchantPage(RoutablePageMixin, Page):
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

    street_address = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=80)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

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

    requests_paused_until = models.DateField(
        _("requests paused until (inclusive)"),
        null=True,
        blank=True,
        help_text=_(
            "Holidays, illness: the shop stays visible but is not taking requests until then."
        ),
    )
    pause_reason = models.CharField(_("reason shown to residents"), max_length=120, blank=True)

    objects = MerchantPageManager()

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
            [FieldPanel("legal_name"), FieldPanel("company_number")],
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
        APIField("delivery_fee", serializer=DeliveryFeeField(read_only=True)),
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
        ranges = [HoursRange(h.weekday, h.opens, h.closes) for h in self.opening_hours.all()]
        closures = [ClosurePeriod(c.starts_on, c.ends_on, c.reason) for c in self.closures.all()]
        return shop_status(ranges, closures, now)

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
        products = self.visible_products().for_cards().order_by("-is_featured", "name")
        page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
        request.page_view = PageView(self.pk)
        return self.render(request, context_overrides={"products": page})

    def get_route_paths(self):
        """The shop's address and its products', old ones included. When the shop's slug
        changes, Wagtail creates a redirect from each of these under the old address
        (WAGTAILREDIRECTS_AUTO_CREATE): its redirects match exact paths only, and posters
        and shared posts carry products' addresses too."""
        slugs = {
            *self.products.values_list("slug", flat=True),
            *self.old_product_slugs.values_list("slug", flat=True),
        }
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
        # Any product holding the slug, even hidden, wins over an old address.
        product = (
            self.products.select_related("category")
            .prefetch_related("images__image__renditions")
            .filter(slug=product_slug)
            .first()
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


class ShopGalleryImage(Photo):
    shop = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="gallery_images")

    class Meta(Photo.Meta):
        verbose_name = _("photo")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening range of one weekday; a day may have several (9:00–12:30, 14:00–18:30)."""

    shop = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(
        _("closes at"), help_text=_("A time earlier than the opening means after midnight.")
    )

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]
    api_fields = [APIField("weekday"), APIField("opens"), APIField("closes")]

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=~Q(opens=F("closes")), name="opening_hours_not_empty"),
        ]
        indexes = [models.Index(fields=["weekday", "opens", "closes"])]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError(
                {"closes": _("The closing time must differ from the opening time.")}
            )


class Closure(models.Model):
    shop = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=80, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("reason"),
    ]
    api_fields = [APIField("starts_on"), APIField("ends_on"), APIField("reason")]

    class Meta:
        verbose_name = _("exceptional closure")
        verbose_name_plural = _("exceptional closures")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y} {self.reason}".strip()

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The closure must end on or after its first day.")})


class ShopMembership(models.Model):
    """A person who manages a shop. The ownership rule (ownership.py) reads these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="shop_memberships",
    )
    shop = models.ForeignKey(
        MerchantPage,
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("shop")]

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "shop"], name="one_membership_per_user_and_shop"
            )
        ]

    def __str__(self):
        # No personal data: bulk-action confirmations print this.
        return f"#{self.pk} · {self.shop.title}"


class ShopAccess(models.Model):
    """What a shop's people are given on the admin: their own group (page permissions on the
    shop page) and their own image collection. Set up by merchants.access, never by hand."""

    shop = models.OneToOneField(
        MerchantPage, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="access"
    )
    group = models.OneToOneField(
        "auth.Group", verbose_name=_("group"), on_delete=models.PROTECT, related_name="shop_access"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("image collection"),
        on_delete=models.PROTECT,
        related_name="shop_access",
    )

    class Meta:
        verbose_name = _("shop access")
        verbose_name_plural = _("shop accesses")

    def __str__(self):
        return f"#{self.shop_id}"


class MerchantApplication(models.Model):
    """A shopkeeper asks to join the portal; a city editor approves (the shop page, the
    merchant's account and access are created) or declines it, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    shop_name = models.CharField(_("name of the shop"), max_length=120)
    contact_name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40)
    street_address = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=80)
    categories = models.ManyToManyField(
        ShopCategory, verbose_name=_("categories"), related_name="+", blank=True
    )
    offers_pickup = models.BooleanField(_("pick-up in the shop"), default=True)
    offers_delivery = models.BooleanField(_("home delivery"), default=False)
    message = models.TextField(_("message to the city"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    shop = models.ForeignKey(
        MerchantPage,
        verbose_name=_("shop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shop application")
        verbose_name_plural = _("shop applications")
        ordering = ["-created_at"]

    def __str__(self):
        # The shop's name only: bulk-action pages and logs print this.
        return f"#{self.pk} · {self.shop_name}"
