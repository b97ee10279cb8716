from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PENDING = "pending"
SENT = "sent"
FAILED = "failed"

UNSENT = Q(sent_at__isnull=True, failed_at__isnull=True)


def split_references(text):
    """The references a notification's `reference` names, comma-joined by its sender
    (a resident's confirmation names every request of the checkout); once each, in order."""
    return list(dict.fromkeys(token for token in text.split(",") if token))


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(UNSENT)

    def failed(self):
        return self.filter(failed_at__isnull=False)

    def due(self, now):
        """Pending rows whose time has come and that no sender holds a lease on."""
        lease_free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
        return self.pending().filter(lease_free, next_attempt_at__lte=now)

    def about(self, *references):
        """The e-mails naming any of `references`, matched exactly: one query however many."""
        return self.filter(
            pk__in=NotificationReference.objects.filter(reference__in=references).values(
                "notification"
            )
        )


class Notification(models.Model):
    """One e-mail of the outbox: stored first, then sent (and retried) by `outbox.send_due`.

    The row is the source of truth: a mail outage delays mail, it never loses one.
    """

    to = models.EmailField(_("recipient"))
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    # Extra headers of this e-mail, name → value (a newsletter's List-Unsubscribe).
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    template = models.CharField(
        _("template"), max_length=200, help_text=_("Under templates/emails/, without suffix.")
    )
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(_("language"), max_length=15)
    # Lets another app show the mail status of its objects without a foreign key here:
    # what the sender wrote, comma-joined, kept for display; `save` copies each reference
    # into NotificationReference, which `objects.about` searches.
    # Unbounded: a value too long must never roll back the caller's transaction.
    reference = models.TextField(_("reference"), blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # A sender's lease: while it lies in the future, no other sender touches the row.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            # Partial: every sent row keeps an old next_attempt_at, so a plain index would
            # grow with the history while the senders only ever look for unsent rows.
            models.Index(fields=["next_attempt_at"], condition=UNSENT, name="notification_due_idx"),
        ]

    def save(self, **kwargs):
        # Not run by bulk_create() nor update(reference=…): create rows through save().
        adding = self._state.adding
        update_fields = kwargs.get("update_fields")
        with transaction.atomic(savepoint=False):
            super().save(**kwargs)
            if update_fields is None or "reference" in update_fields:
                if not adding:
                    self.references.all().delete()
                NotificationReference.objects.bulk_create(
                    NotificationReference(notification=self, reference=reference)
                    for reference in split_references(self.reference)
                )

    def __str__(self):
        # No address nor context: this string ends up in logs and admin messages.
        return f"#{self.pk} {self.template}"

    @property
    def status(self):
        if self.sent_at:
            return SENT
        if self.failed_at:
            return FAILED
        return PENDING


class NotificationReference(models.Model):
    """One reference an e-mail names, so that finding the e-mails about an object is an
    exact, indexed match on every database (SQLite cannot look inside a JSON list)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="references"
    )
    # Unbounded for the same reason as Notification.reference.
    reference = models.TextField(_("reference"))

    class Meta:
        verbose_name = _("e-mail reference")
        verbose_name_plural = _("e-mail references")
        # Not db_index: on PostgreSQL it adds a LIKE index too, and `about` only asks "=".
        indexes = [models.Index(fields=["reference"], name="notification_reference_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "reference"], name="notification_reference_unique"
            )
        ]

    def __str__(self):
        return self.reference
