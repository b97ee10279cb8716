from decimal import Decimal
from html import unescape

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from .admin_forms import PortalPageForm
from .blocks import BodyBlock, HowItWorksStepBlock
from .page_cache import PurgingQuerySet
from .pages import PortalPageManager, RoutesInOneQuery, ViewRestrictionsInOneQuery, until_purge
from .search_text import normalise

DEFAULT_BRAND_COLOUR = "#1d4e89"
HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #1d4e89."))


def relative_luminance(hex_colour):
    def channel(value):
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(hex_colour):
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def validate_brand_colour(value):
    """White text sits on the brand colour (buttons, header): it must reach WCAG AA (4.5:1)."""
    HEX_COLOUR(value)
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "White text on this colour is hard to read (contrast %(ratio).1f:1, "
                "at least 4.5:1 is needed). Choose a darker colour."
            ),
            params={"ratio": ratio},
        )


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    town_name = models.CharField(_("town name"), max_length=80, default="Ma ville")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default=DEFAULT_BRAND_COLOUR,
        validators=[validate_brand_colour],
        help_text=_("A dark colour: white text is written on it."),
    )
    default_delivery_fee = models.DecimalField(
        _("default delivery fee (EUR)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of the goods (not of the delivery fee) kept by the city. 0 is allowed."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    merchant_changes_need_review = models.BooleanField(
        _("merchants' page changes need the city's approval"),
        default=False,
        help_text=_(
            "When ticked, a merchant's changes to its shop page go to the “City review” "
            "workflow instead of going live at once. Products are never held back."
        ),
    )

    # Every public page shows the logo and links the three pages in its footer: read them
    # with the settings, in one query.
    select_related = ["logo", "privacy_page", "legal_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("town_name"), FieldPanel("logo"), FieldPanel("brand_colour")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("default_delivery_fee"), FieldPanel("commission_rate")])],
            heading=_("Requests"),
        ),
        MultiFieldPanel([FieldPanel("merchant_changes_need_review")], heading=_("Merchants")),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_page"),
                FieldPanel("legal_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Legal pages"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("instagram_url")],
            heading=_("Social networks"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")


class Photo(Orderable):
    """An ordered photo with the alternative text a screen reader reads out (shop galleries,
    product photos); concrete subclasses add the parental key."""

    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    panels = [FieldPanel("image"), FieldPanel("alt_text")]

    objects = PurgingQuerySet.as_manager()  # catalogue sync writes product photos in bulk

    class Meta(Orderable.Meta):
        abstract = True


def with_renditions(photos):
    """Read the renditions of every photo's image in one query, whatever list each photo
    belongs to (shop cards, product cards): `{% picture %}` then finds them there."""
    prefetch_related_objects([photo.image for photo in photos if photo is not None], "renditions")


def in_rows_order(queryset, rows, field, also=None):
    """(the objects of `queryset` that editor-chosen `rows` name in their `field`, in the
    rows' order; those whose ids the query `also` gives, in no order), from one query that
    reads the rows and `also` too (featured shops, a campaign's products, and the latest
    updates with them). A preview's rows, not saved yet, are read from memory."""
    if isinstance(rows, models.QuerySet):
        # `pk IN (…)`, not EXISTS: the database looks the few chosen up by their key
        # instead of testing every row of a large catalogue.
        wanted = models.Q(pk__in=rows.values(field))
    else:
        ids = [getattr(row, f"{field}_id") for row in rows]
        wanted = models.Q(pk__in=ids)
    if also is not None:
        is_also = models.Q(pk__in=also)
        wanted |= is_also
        queryset = queryset.annotate(
            is_also=models.ExpressionWrapper(is_also, output_field=models.BooleanField())
        )
    found = queryset.filter(wanted)
    if isinstance(rows, models.QuerySet):
        chosen = rows.filter(**{field: models.OuterRef("pk")})
        found = found.annotate(
            is_chosen=models.Exists(chosen),
            row_order=models.Subquery(chosen.values("sort_order")[:1]),
        )
        found = list(found.order_by("row_order", "pk"))
        ordered = [item for item in found if item.is_chosen]
    else:
        found = list(found)
        by_id = {item.pk: item for item in found}
        ordered = [by_id[pk] for pk in ids if pk in by_id]
    return ordered, [item for item in found if getattr(item, "is_also", False)]


class FeaturedShop(Orderable):
    """A shop an editor puts forward; concrete subclasses say on which page.

    The one place where `home` points at a higher app: the foreign keys name their models
    by string (no import), and the cards are rendered by merchants' and products' own
    template tags, so `home` still imports nothing of theirs.
    """

    shop = models.ForeignKey(
        "merchants.MerchantPage",
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("shop")]

    class Meta(Orderable.Meta):
        abstract = True


class FeaturedProduct(Orderable):
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        abstract = True


class FoundBySearch:
    """A page the public search finds by its words however they are written: its
    `searchable_fields`, normalised like the residents' queries (home/search_text.py)."""

    searchable_fields = ("title",)

    def search_text(self):
        texts = []
        for name in self.searchable_fields:
            field, value = self._meta.get_field(name), getattr(self, name)
            if hasattr(field, "get_searchable_content"):  # rich text, StreamField
                texts += [str(text) for text in field.get_searchable_content(value)]
            else:
                texts.append(str(value or ""))
        return normalise(unescape(strip_tags(" ".join(texts))))


class HomePage(RoutesInOneQuery, ViewRestrictionsInOneQuery, FoundBySearch, Page):
    base_form_class = PortalPageForm
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    how_it_works_title = models.CharField(
        _("'how it works' title"), max_length=120, default="Comment ça marche ?"
    )
    how_it_works = StreamField(
        [("step", HowItWorksStepBlock())],
        verbose_name=_("'how it works' steps"),
        blank=True,
    )
    how_it_works_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("'how it works' page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        InlinePanel("featured_shops", heading=_("Featured shops"), label=_("shop"), max_num=8),
        InlinePanel(
            "featured_products", heading=_("Featured products"), label=_("product"), max_num=12
        ),
        MultiFieldPanel(
            [
                FieldPanel("how_it_works_title"),
                FieldPanel("how_it_works"),
                FieldPanel("how_it_works_page"),
            ],
            heading=_("How it works"),
        ),
    ]

    # Every visit shows the hero image and links the "how it works" page: read with the page
    # (home.pages.specific_page).
    served_with = ("hero_image", "how_it_works_page")

    @staticmethod
    def served_annotations():
        """Asked with the page too: the shop index's URL path, for the header's link to it
        (merchants' shop_index_url), which the home page would otherwise look up alone."""
        index = apps.get_model("merchants", "MerchantIndexPage")
        first_live = index.objects.live().order_by("path").values("url_path")[:1]
        return {"shop_index_url_path": models.Subquery(first_live)}

    searchable_fields = ("title", "hero_text")
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("search_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def running_campaigns(self, today=None):
        today = today or timezone.localdate()
        return (
            CampaignPage.objects.live()
            .public()
            .filter(starts_on__lte=today, ends_on__gte=today)
            .select_related("banner")
            .order_by("ends_on")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["campaigns"] = until_purge(
            f"running-campaigns:{self.pk}:{today}", lambda: list(self.running_campaigns(today))
        )
        if self.how_it_works_page_id:
            site = Site.find_for_request(request)
            context["how_it_works_url"] = until_purge(
                f"page-url:{self.how_it_works_page_id}:{site.pk if site else ''}",
                lambda: self.how_it_works_page.get_url(request=request),
            )
        return context


class HomePageFeaturedShop(FeaturedShop):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_shops")


class HomePageFeaturedProduct(FeaturedProduct):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")


class StandardPage(ViewRestrictionsInOneQuery, FoundBySearch, Page):
    """How it works, FAQ, privacy, legal notice, accessibility statement…"""

    base_form_class = PortalPageForm

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    searchable_fields = ("title", "intro", "body")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_text"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("content page")


class CampaignPage(ViewRestrictionsInOneQuery, FoundBySearch, Page):
    """A themed, time-boxed selection the city curates ("Noël dans nos commerces")."""

    base_form_class = PortalPageForm

    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("banner"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Dates")),
        InlinePanel("shops", heading=_("Shops"), label=_("shop")),
        InlinePanel("products", heading=_("Products"), label=_("product")),
    ]

    searchable_fields = ("title", "intro")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("search_text"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    objects = PortalPageManager()

    class Meta:
        verbose_name = _("campaign")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            )
        ]

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign must end on or after its start.")})

    def is_running(self, today=None):
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class CampaignShop(FeaturedShop):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="shops")


class CampaignProduct(FeaturedProduct):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="products")
