"""The e-mail outbox every app of the portal sends its mail through.

`enqueue` stores the e-mail in the caller's transaction and asks for a sender once it
commits; `send_due` delivers what is due and reschedules what fails, so a mail outage
delays mail and loses nothing. Senders may run side by side (the task worker, the cron
command): each row is claimed with a lease by a conditional UPDATE before it is sent,
so no transaction stays open during SMTP and no row is sent twice.

Templates: emails/<template>_subject.txt, _body.txt and, optionally, _body.html. The
text templates are rendered without HTML escaping.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Min, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from .models import UNSENT, Notification

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def enqueue(*, to, template, context, reply_to=(), language=None, reference="", headers=None):
    """Store an e-mail and have it sent once the current transaction commits; `headers`,
    name → value, are added to the e-mail's own."""
    if not to:
        raise ValueError("An e-mail needs a recipient.")
    notification = Notification.objects.create(
        to=to,
        reply_to=list(reply_to),
        headers=dict(headers or {}),
        template=template,
        # Round-trip through JSON now, so that the first attempt renders exactly what a
        # retry will read back from the database (Decimals and dates become strings),
        # and a value that cannot be stored fails in the caller, not in the sender.
        context=json.loads(json.dumps(context, cls=DjangoJSONEncoder)),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        reference=reference,
    )
    _send_after_commit()
    return notification


def send_due(now=None, limit=100):
    """Send the e-mails that are due; returns how many were sent, rescheduled, failed
    for good, or skipped because another sender claimed them first."""
    now = now or timezone.now()
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    due = Notification.objects.due(now).order_by("next_attempt_at", "pk")
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        if not _claim(pk, now):
            counts["skipped"] += 1
            continue
        outcome = _deliver(Notification.objects.get(pk=pk), now)
        counts[outcome] += 1
    return counts


def resend(notification, now=None):
    """Give a failed e-mail a new round of attempts; False when it was not failed."""
    now = now or timezone.now()
    fields = {
        "failed_at": None,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "locked_until": None,
    }
    updated = Notification.objects.failed().filter(pk=notification.pk).update(**fields)
    if not updated:
        return False
    for name, value in fields.items():
        setattr(notification, name, value)
    _send_after_commit()
    return True


def health():
    """What the city's dashboard shows: is mail flowing?"""
    return Notification.objects.aggregate(
        oldest_pending_at=Min("created_at", filter=UNSENT),
        pending=Count("pk", filter=UNSENT),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
    )


def render_message(notification):
    """The e-mail as it will be sent, rendered in the notification's language."""
    name = f"emails/{notification.template}"
    context = notification.context
    with translation.override(notification.language):
        subject = _render_text(f"{name}_subject.txt", context)
        body = _render_text(f"{name}_body.txt", context)
        try:
            html_template = get_template(f"{name}_body.html")
        except TemplateDoesNotExist:
            html = None
        else:
            html = html_template.render(context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to],
        reply_to=notification.reply_to,
        # RFC 3834: tells out-of-office responders not to answer an automatic message.
        headers={"Auto-Submitted": "auto-generated", **notification.headers},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def _render_text(template_name, context):
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def _claim(pk, now):
    """Take a lease on a due row; only one of several concurrent senders gets it."""
    lease_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    claimed = Notification.objects.due(now).filter(pk=pk).update(locked_until=lease_until)
    return claimed == 1


def _deliver(notification, now):
    try:
        render_message(notification).send()
    except Exception as error:  # SMTP, socket, template: any of them is one failed attempt.
        return _record_failure(notification, error, now)
    Notification.objects.filter(pk=notification.pk).update(sent_at=now, locked_until=None)
    return "sent"


def _record_failure(notification, error, now):
    attempts = notification.attempts + 1
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    fields = {"attempts": attempts, "last_error": _describe(error, notification)}
    if attempts > len(delays):
        fields["failed_at"] = now
        outcome = "failed"
    else:
        fields["next_attempt_at"] = now + timedelta(seconds=delays[attempts - 1])
        outcome = "retrying"
    Notification.objects.filter(pk=notification.pk).update(locked_until=None, **fields)
    logger.warning(
        "E-mail %s, attempt %d: %s (%s)", notification, attempts, fields["last_error"], outcome
    )
    return outcome


def _describe(error, notification):
    # SMTP errors may quote the recipient; the dashboard and the logs show this text.
    text = f"{type(error).__name__}: {error}".replace(notification.to, "<recipient>")
    return text[:ERROR_MAX_LENGTH]


def _send_after_commit():
    from .tasks import send_due_notifications  # here: the tasks module imports this one

    # robust: if the task queue cannot take the job, the row is stored all the same and
    # the next run of the send_notifications command delivers it.
    transaction.on_commit(send_due_notifications.enqueue, robust=True)
