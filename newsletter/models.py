"""The city's newsletter, written in the admin and sent to the subscribers of the town's news
(subscriptions.Subscription.Kind.TOWN_NEWS, confirmed) through the outbox."""

from django.conf import settings
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin

from .blocks import NewsletterBody


class Newsletter(PreviewableMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=150)
    body = StreamField(NewsletterBody(), verbose_name=_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    # Written out when sending starts, so that every batch sends the same e-mail however
    # long the sending takes ("new this week" included).
    body_html = models.TextField(editable=False, blank=True)
    body_text = models.TextField(editable=False, blank=True)
    # The web links of body_html, in order: the counting redirect goes to these only.
    links = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("sending started at"), null=True, editable=False)
    last_batch_at = models.DateTimeField(_("last batch at"), null=True, editable=False)
    finished_at = models.DateTimeField(_("sent at"), null=True, editable=False)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def reference(self):
        return f"newsletter-{self.pk}"

    preview_modes = [("", _("E-mail")), ("text", _("Plain text"))]

    def serve_preview(self, request, mode_name):
        """The e-mail as a subscriber gets it, written out from what the editor shows now."""
        from .sending import test_message

        message = test_message(self, request.user.email or settings.DEFAULT_FROM_EMAIL)
        if mode_name == "text":
            return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        return HttpResponse(message.alternatives[0].content)


class Delivery(models.Model):
    """One address a newsletter went to, stored with its e-mail in one transaction: the
    unique constraint is what keeps an address from getting it twice, however many runs.
    Only a keyed hash of the address: a subscriber who leaves is forgotten."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "address_hash"], name="one_delivery_per_address"
            )
        ]


class LinkClick(models.Model):
    """How many times a link of a sent newsletter was followed: a count, nobody's click."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="clicks")
    position = models.PositiveIntegerField()
    url = models.TextField()
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("link clicks")
        verbose_name_plural = _("link clicks")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "position"], name="one_count_per_link")
        ]
