"""A shop's news: a short item its merchant posts ("Arrivage de truffes samedi"), shown on
the shop's page, on the home page and in the shop's Atom feed until its end date, unless the
city hid it."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from home import page_cache
from merchants.models import MerchantPage

TEXT_LENGTH = 500


class NewsItemQuerySet(page_cache.PurgingQuerySet):
    def visible(self, today=None):
        """What residents see: not hidden by the city, not ended (an item shows through its
        end date, in the town's time), of a live shop open to the public."""
        today = today or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            hidden_at__isnull=True,
            shop__in=MerchantPage.objects.live().public(),
        )

    def newest_first(self):
        return self.order_by("-posted_at", "-pk")


class NewsItem(models.Model):
    shop = models.ForeignKey(
        "merchants.MerchantPage",
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="news_items",
    )
    text = models.TextField(
        _("text"),
        max_length=TEXT_LENGTH,
        validators=[MaxLengthValidator(TEXT_LENGTH)],  # the form's, and the model's too
        help_text=_(
            "Up to 500 characters, such as “Truffles arrive on Saturday” or “Closed on Monday”."
        ),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: one of your shop's images."),
    )
    ends_on = models.DateField(
        _("show until"),
        null=True,
        blank=True,
        help_text=_("Optional: the last day the news shows on the site."),
    )
    posted_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by a city editor only: who hid the item from the site, and when.
    hidden_at = models.DateTimeField(_("hidden by the city on"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("shop news")
        ordering = ["-posted_at", "-pk"]
        permissions = [("hide_newsitem", _("Can hide shop news"))]
        indexes = [models.Index(fields=["shop", "-posted_at"], name="news_item_shop_posted")]

    def __str__(self):
        return Truncator(self.text).chars(60)

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    def is_visible_on(self, day):
        return not self.is_hidden and (self.ends_on is None or self.ends_on >= day)
