from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PENDING = "pending"
SENT = "sent"
FAILED = "failed"

UNSENT = Q(sent_at__isnull=True, failed_at__isnull=True)


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(UNSENT)

    def failed(self):
        return self.filter(failed_at__isnull=False)

    def due(self, now):
        """Pending rows whose time has come and that no sender holds a lease on."""
        lease_free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
        return self.pending().filter(lease_free, next_attempt_at__lte=now)

    def for_reference(self, reference):
        return self.filter(reference=reference)


class Notification(models.Model):
    """One e-mail of the outbox: stored first, then sent (and retried) by `outbox.send_due`.

    The row is the source of truth: a mail outage delays mail, it never loses one.
    """

    to = models.EmailField(_("recipient"))
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    template = models.CharField(
        _("template"), max_length=200, help_text=_("Under templates/emails/, without suffix.")
    )
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(_("language"), max_length=15)
    # Lets another app show the mail status of its objects without a foreign key here.
    # Unbounded: a value too long must never roll back the caller's transaction.
    reference = models.TextField(_("reference"), blank=True, db_index=True)

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
