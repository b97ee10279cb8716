"""A shop's catalogue sources, each run of their sync, and what they map and download."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    SHOPIFY = "shopify", _("Shopify shop")
    WOOCOMMERCE = "woocommerce", _("WooCommerce shop")
    GOOGLE_FEED = "google_feed", _("Google product feed (RSS or Atom)")
    CSV = "csv", _("CSV file at a web address")


# The fetcher speaks http(s) only: any other scheme is refused next to the field.
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
    code="not_web",  # not "invalid": the field would show its own, vaguer message instead
)


class CatalogueSourceQuerySet(models.QuerySet):
    def due(self, now):
        """Sources whose next run has come: active, not running (or a run that died)."""
        return self.filter(is_active=True, next_run_at__lte=now).filter(
            models.Q(running_since__isnull=True) | models.Q(running_since__lt=now - RUN_LEASE)
        )


# A run holds its source this long at most: a worker that died mid-run frees it after. A
# run stops reading its source after catalogue.sync.RUN_DEADLINE, well within the lease.
RUN_LEASE = timedelta(hours=1)


class CatalogueSource(models.Model):
    shop = models.ForeignKey(
        "merchants.MerchantPage",
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="catalogue_sources",
    )
    kind = models.CharField(_("type"), max_length=20, choices=SourceKind.choices)
    url = models.URLField(
        _("web address"),
        max_length=500,
        validators=[web_address],
        help_text=_(
            "Your shop's address for Shopify or WooCommerce (https://my-shop.example), or "
            "the address of the feed or CSV file."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=80,
        blank=True,
        help_text=_("How the portal names this source to you, such as “My web shop”."),
    )
    interval_hours = models.PositiveSmallIntegerField(
        _("synchronise every (hours)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    is_active = models.BooleanField(
        _("synchronise automatically"),
        default=True,
        help_text=_("Untick to pause the synchronisation; your products stay as they are."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    # The schedule and the lock, written by the sync only.
    next_run_at = models.DateTimeField(_("next run"), default=timezone.now, db_index=True)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    run_token = models.CharField(max_length=32, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last successful run"), null=True, blank=True)
    failures_in_row = models.PositiveSmallIntegerField(_("failed runs in a row"), default=0)
    alerted_at = models.DateTimeField(_("merchant alerted"), null=True, blank=True)

    objects = CatalogueSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue source")
        verbose_name_plural = _("catalogue sources")
        ordering = ["shop__title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_hours__gte=1, interval_hours__lte=168),
                name="catalogue_source_interval_in_range",
            ),
        ]

    def __str__(self):
        return self.name or self.get_kind_display()

    @property
    def is_broken(self):
        return self.failures_in_row >= 3


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCESS = "success", _("Synchronised")
    STOPPED = "stopped", _("Stopped by the safety valve")
    FAILED = "failed", _("Failed")


class SyncRun(models.Model):
    """One synchronisation of a source: when, how long, what it wrote and what it skipped."""

    source = models.ForeignKey(
        CatalogueSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="runs"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    manual = models.BooleanField(_("started by hand"), default=False)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    hidden = models.PositiveIntegerField(_("hidden"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    images = models.PositiveIntegerField(_("photos downloaded"), default=0)
    message = models.TextField(_("message"), blank=True)
    # [{"where": "produit 3", "reason": "…"}, …]; adoption candidates carry "product".
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        verbose_name = _("synchronisation run")
        verbose_name_plural = _("synchronisation runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


class SourceCategory(models.Model):
    """The merchant's mapping of one of the source's categories to a portal category
    (none: the product keeps no portal category from the source)."""

    source = models.ForeignKey(
        CatalogueSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="category_mappings",
    )
    name = models.CharField(_("category of the source"), max_length=200)
    category = models.ForeignKey(
        "products.ProductCategory",
        verbose_name=_("portal category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("category mapping")
        verbose_name_plural = _("category mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "name"], name="source_category_unique")
        ]

    def __str__(self):
        return self.name


class RemoteImage(models.Model):
    """A photo downloaded from a source once: found again by its address, or by its
    content when another address serves the same file."""

    shop = models.ForeignKey("merchants.MerchantPage", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=1000)
    content_hash = models.CharField(max_length=64, db_index=True)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "url"], name="remote_image_unique_in_shop")
        ]
