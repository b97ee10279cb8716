from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Case, F, Prefetch, Q, Value, When, prefetch_related_objects
from django.dispatch import Signal
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from home import page_cache
from home.models import Photo
from home.search_text import fold, normalise
from home.slugs import free_slug
from merchants.models import MerchantPage, SlugNamedSnippet

from . import front_cache

# Sent once a transaction that brought products back in stock commits, whatever brought
# them back (Product.save, ProductQuerySet.set_availability, the import and the catalogue
# sync): what every write of `restocked_at` goes with (announce_restock). The
# back-in-stock alerts (subscriptions/) listen.
restocked = Signal()


def announce_restock():
    transaction.on_commit(partial(restocked.send, sender=Product), robust=True)


class ProductCategory(index.Indexed, SlugNamedSnippet):
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(SlugNamedSnippet.Meta):
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")


class Availability(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    LIMITED = "limited", _("Limited stock")
    ON_ORDER = "on_order", _("On order")
    OUT_OF_STOCK = "out_of_stock", _("Out of stock")


# The fields a catalogue source gives a product it manages: read-only in its form, written
# by the sync only. The others (category, unit, featured…) stay the merchant's.
SOURCE_MANAGED_FIELDS = (
    "name",
    "short_description",
    "description",
    "price",
    "former_price",
    "from_price",
    "availability",
)


def photos_prefetch(renditions=True):
    """A product's photos with their images and (`renditions`) their renditions."""
    photos = ProductImage.objects.select_related("image")
    if renditions:
        photos = photos.prefetch_related("image__renditions")
    return Prefetch("images", queryset=photos)


class ProductQuerySet(SearchableQuerySetMixin, page_cache.PurgingQuerySet):
    # Bulk writes send no signal: they tell the front cache themselves (front_cache.py).
    def update(self, **kwargs):
        if not front_cache.enabled():
            return super().update(**kwargs)
        changed = list(self.values_list("shop_id", "slug"))
        rows = super().update(**kwargs)
        front_cache.products_changed(changed)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if front_cache.enabled():
            front_cache.products_changed((product.shop_id, product.slug) for product in created)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, *args, **kwargs)
        if front_cache.enabled():
            front_cache.products_changed((product.shop_id, product.slug) for product in objs)
        return rows

    def visible(self):
        """Active products of published, public shops: what a resident may see."""
        return self.filter(is_active=True, shop__in=MerchantPage.objects.live().public())

    def with_photos(self, renditions=True):
        """The products' photos with their images and renditions: two queries for all.
        Without `renditions`, the caller reads those of several lists' photos at once
        (home.models.with_renditions)."""
        return self.prefetch_related(photos_prefetch(renditions))

    def for_cards(self, renditions=True):
        """Everything a product card shows, in a fixed number of queries."""
        return self.select_related("shop", "category").with_photos(renditions)

    def for_search_cards(self):
        """for_cards(), reading of each product's shop only what the card and its search
        excerpt show (components/product_card.html), not the shop page's eighty columns: a
        page of results converts twenty shops' rows."""
        kept = {"id", "page_ptr", "title", "slug", "url_path", "path", "depth", "live"}
        kept |= {"content_type", "locale", "requests_paused_until", "pause_reason"}
        left_out = [
            f"shop__{field.name}"
            for field in MerchantPage._meta.concrete_fields
            if field.name not in kept
        ]
        return self.for_cards().defer(*left_out)

    def set_availability(self, availability, **changes):
        """UPDATE the products' availability (and `changes`) in one query; those that were out
        of stock and now are not get `restocked_at` (Product.comes_back_in_stock)."""
        if availability != Availability.OUT_OF_STOCK:
            # Before `availability` in the SET clause: it reads the value being replaced.
            changes["restocked_at"] = Case(
                When(availability=Availability.OUT_OF_STOCK, then=Value(timezone.now())),
                default=F("restocked_at"),
            )
            announce_restock()
        return self.update(**changes, availability=availability)


class PhotoRenditionField(ImageRenditionField):
    """For the open data API: a photo's rendition, with the alternative text written for it."""

    def to_representation(self, photo):
        rendition = super().to_representation(photo.image)
        if "alt" in rendition:
            rendition["alt"] = photo.alt_text
        return rendition


class Product(index.Indexed, ClusterableModel):
    shop = models.ForeignKey(
        "merchants.MerchantPage",
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        blank=True,
        help_text=_("The end of the product's web address. Filled in from the name if empty."),
    )
    sku = models.CharField(
        _("reference"),
        max_length=64,
        blank=True,
        help_text=_("Your own reference for this product (optional, unique within your shop)."),
    )
    short_description = models.CharField(_("short description"), max_length=200, blank=True)
    description = RichTextField(
        _("description"), features=["bold", "italic", "ul", "link"], blank=True
    )
    price = models.DecimalField(
        _("price (EUR)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    former_price = models.DecimalField(
        _("former price (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("For a promotion: the price before, shown crossed out."),
    )
    unit_label = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("Such as “per piece” or “per kg”.")
    )
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.IN_STOCK,
    )
    is_active = models.BooleanField(
        _("shown on the site"), default=True, help_text=_("Untick to hide the product.")
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    # What the feeds for Google and Meta (feeds/) say of the product, when known.
    brand = models.CharField(_("brand"), max_length=70, blank=True)
    gtin = models.CharField(
        _("barcode (GTIN/EAN)"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^(\d{8}|\d{12,14})$", _("8, 12, 13 or 14 digits."))],
    )
    mpn = models.CharField(_("manufacturer part number"), max_length=70, blank=True)
    made_by_shop = models.BooleanField(
        _("made by the shop"),
        default=False,
        help_text=_("Tick for what the shop makes itself: its name is then the brand."),
    )
    from_price = models.BooleanField(
        _("price “from”"),
        default=False,
        help_text=_("The price is the lowest of several (sizes, colours): shown “from …”."),
    )
    # When the product came back in stock last (the "back in stock" feeds).
    restocked_at = models.DateTimeField(_("back in stock"), null=True, blank=True)
    # A product synchronised from a catalogue source (catalogue/): the source manages the
    # fields it gives (catalogue.sync.MANAGED_FIELDS); `source_key` is the source's id.
    source = models.ForeignKey(
        "catalogue.CatalogueSource",
        verbose_name=_("catalogue source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    source_key = models.CharField(_("id in the source"), max_length=255, blank=True)
    hidden_by_source = models.BooleanField(
        _("hidden because gone from the source"), default=False, editable=False
    )
    detached_from_source = models.BooleanField(
        _("detached from its source"),
        default=False,
        help_text=_("The merchant edits it by hand; the source's changes are no longer applied."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ProductQuerySet.as_manager()

    # The admin's form (two tabs, the shop decided for a merchant) is in panels.py.

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("short_description"),
        index.SearchField("description"),
        index.SearchField("sku"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("shop", [index.SearchField("title")]),
        index.FilterField("shop"),
        index.FilterField("is_active"),
        index.FilterField("availability"),
        index.FilterField("category"),
        # What the public search matches: the same normalisation as the query.
        index.SearchField("search_text"),
        index.AutocompleteField("autocomplete_text"),
    ]

    # The open data API (portal/api.py); the shop is its entry in the shops endpoint.
    api_fields = [
        APIField("shop"),
        APIField("name"),
        APIField("slug"),
        APIField(
            "category", serializer=serializers.SlugRelatedField(slug_field="name", read_only=True)
        ),
        APIField("price"),
        APIField("former_price"),
        APIField("unit_label"),
        APIField("availability"),
        APIField("short_description"),
        APIField("description"),
        APIField(
            "image",
            serializer=PhotoRenditionField("fill-640x480|format-jpeg", source="main_image"),
        ),
        APIField("updated_at"),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slug"], name="product_slug_unique_in_shop"),
            models.UniqueConstraint(
                fields=["shop", "sku"],
                condition=~Q(sku=""),
                name="product_sku_unique_in_shop",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~Q(source_key=""),
                name="product_source_key_unique",
            ),
        ]
        indexes = [models.Index(fields=["shop", "is_active"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.former_price is not None and self.price is not None:
            if self.former_price <= self.price:
                errors["former_price"] = _("The former price must be higher than the price.")
        if self.shop_id and self.sku:
            clash = Product.objects.filter(shop_id=self.shop_id, sku=self.sku).exclude(pk=self.pk)
            if clash.exists():
                errors["sku"] = _("Another product of this shop already has this reference.")
        if self.shop_id and self.slug:
            clash = Product.objects.filter(shop_id=self.shop_id, slug=self.slug).exclude(pk=self.pk)
            if clash.exists():
                errors["slug"] = _("Another product of this shop already has this address.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def comes_back_in_stock(before, after):
        """Whether a product whose availability goes from `before` to `after` is back in
        stock: what sets `restocked_at`, for Product.save, set_availability and the sync."""
        return before == Availability.OUT_OF_STOCK and after != Availability.OUT_OF_STOCK

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        saves_slug = update_fields is None or "slug" in update_fields
        saves_availability = update_fields is None or "availability" in update_fields
        if not (saves_slug or saves_availability):
            return super().save(*args, **kwargs)  # neither the address nor the stock
        with transaction.atomic():
            before = None
            if self.pk:
                # One read of what is stored, only of the fields being saved.
                fields = ("shop_id", "slug", "name") if saves_slug else ()
                fields += ("availability",) if saves_availability else ()
                before = Product.objects.filter(pk=self.pk).values(*fields).first()
            if before and saves_availability:
                if Product.comes_back_in_stock(before["availability"], self.availability):
                    self.restocked_at = timezone.now()
                    announce_restock()
                    if update_fields is not None:
                        kwargs["update_fields"] = [*update_fields, "restocked_at"]
            if saves_slug:
                self.follow_name(before)
            super().save(*args, **kwargs)
            moved = (
                before
                and saves_slug
                and (before["shop_id"], before["slug"])
                != (
                    self.shop_id,
                    self.slug,
                )
            )
            if moved:
                # Posters and shared posts keep the old address: it now leads here.
                ProductSlugHistory.objects.update_or_create(
                    shop_id=before["shop_id"], slug=before["slug"], defaults={"product": self}
                )

    def follow_name(self, before):
        """Give the product a free slug, made from its name when it has none or when its
        slug was made from the name it had `before` (a dict of the stored values)."""
        if before and self.slug == before["slug"] and self.name != before["name"]:
            if self.slug_follows(before["name"]):
                self.slug = ""  # an address made from the name follows the new name
        if not self.slug:
            self.slug = self.unique_slug()

    def slug_follows(self, name):
        """Whether the slug was made from `name` (as unique_slug makes it), not typed."""
        base = slugify(name)[:120]
        return self.slug == base or (
            self.slug.startswith(f"{base}-") and self.slug[len(base) + 1 :].isdigit()
        )

    def unique_slug(self):
        taken = set(
            Product.objects.filter(shop_id=self.shop_id, slug__startswith=slugify(self.name)[:120])
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        return free_slug(self.name, taken, fallback="produit")

    def searchable_text(self):
        """Everything a resident may search a product by, as written."""
        words = [self.name, self.short_description, strip_tags(self.description), self.sku]
        if self.category_id:
            words.append(self.category.name)
        return " ".join([*words, self.shop.title])

    def search_text(self):
        return normalise(self.searchable_text())

    def autocomplete_text(self):
        return " ".join(fold(self.name))

    @property
    def is_synced(self):
        """Whether a catalogue source manages this product's SOURCE_MANAGED_FIELDS and photos."""
        return self.source_id is not None and not self.detached_from_source

    @property
    def is_available(self):
        return self.is_active and self.availability != Availability.OUT_OF_STOCK

    @property
    def is_on_promotion(self):
        return self.former_price is not None and self.former_price > self.price

    @property
    def photos(self):
        """The photos with their images and renditions: as with_photos prefetched them, or
        read (two queries) the first time they are asked for, such as when the product page
        renders the part that shows them, and only then."""
        # A card of a list reads them as prefetched, without making the prefetch again.
        if self.pk is not None and "images" not in getattr(self, "_prefetched_objects_cache", {}):
            prefetch_related_objects([self], photos_prefetch())
        return self.images.all()

    @property
    def main_image(self):
        return next(iter(self.photos), None)

    def get_url(self, request=None):
        shop_url = self.shop.get_url(request=request)
        if not shop_url:
            return None
        return shop_url + self.shop.reverse_subpage(
            "product_detail", kwargs={"product_slug": self.slug}
        )

    @property
    def url(self):
        return self.get_url()


class ProductImage(Photo):
    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="images")

    class Meta(Photo.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class ProductSlugHistory(models.Model):
    """An address a product had in a shop: the shop's product route answers it with a
    permanent redirect to where the product is now (MerchantPage.product_detail).

    Written by Product.save when the slug (or the shop) changes; the CSV import never
    changes an existing product's slug. One row per old address of a shop: when a second
    product leaves the same address, the row follows the latest one."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="old_slugs"
    )
    shop = models.ForeignKey(
        "merchants.MerchantPage",
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="old_product_slugs",
    )
    slug = models.SlugField(_("slug"), max_length=140)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old product address")
        verbose_name_plural = _("old product addresses")
        constraints = [
            models.UniqueConstraint(fields=["shop", "slug"], name="old_product_slug_unique_in_shop")
        ]

    def __str__(self):
        return self.slug
