"""Sending a newsletter: start, pause, resume, and the batches the cron command enqueues.

Each run of `send_newsletter` enqueues at most one batch per newsletter being sent, and no
batch sooner than PORTAL_NEWSLETTER_BATCH_INTERVAL seconds after the last one: that is the
rate limit, whatever the cron's frequency or however many runs start at once (a batch is
claimed by a conditional UPDATE). A run stopped half-way loses nothing: every address gets
its Delivery row and its e-mail in one transaction, and the next run goes on from there.
"""

import re
from datetime import timedelta
from html import unescape

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.html import strip_tags

from notifications.models import Notification
from notifications.outbox import enqueue, render_message
from subscriptions.links import manage_url
from subscriptions.models import Subscriber, Subscription

from .blocks import ItemsBlock
from .links import counted, unsubscribe_url, with_absolute_links
from .models import Delivery, LinkClick, Newsletter

TEMPLATE = "newsletter/issue"
Status = Newsletter.Status


def batch_size():
    return settings.PORTAL_NEWSLETTER_BATCH_SIZE


def batch_interval():
    return timedelta(seconds=settings.PORTAL_NEWSLETTER_BATCH_INTERVAL)


def compose(newsletter):
    """The newsletter's body as HTML and as plain text, as it reads now."""
    html = with_absolute_links(render_to_string("newsletter/body.html", {"body": newsletter.body}))
    parts = []
    for child in newsletter.body:
        if isinstance(child.block, ItemsBlock):
            lines = [child.value["heading"]] if child.value["heading"] else []
            for item in child.block.items(child.value):
                shop = f" ({item['shop']})" if item["shop"] else ""
                lines.append(f"- {item['name']}{shop}: {item['url']}")
            parts.append("\n".join(lines))
        else:
            parts.append(unescape(strip_tags(child.render())).strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n\n".join(part for part in parts if part))
    return html, text


def recipients():
    """The subscribers of the town's news who confirmed, in a stable order."""
    return Subscriber.objects.filter(
        subscriptions__kind=Subscription.Kind.TOWN_NEWS,
        subscriptions__confirmed_at__isnull=False,
    ).order_by("pk")


def address_hash(email):
    return salted_hmac("newsletter.delivery", email.lower(), algorithm="sha256").hexdigest()


def _mail(newsletter, subscriber, body_html, body_text):
    unsubscribe = unsubscribe_url(subscriber.key)
    return {
        "to": subscriber.email,
        "template": TEMPLATE,
        "context": {
            "subject": newsletter.subject,
            "body_html": body_html,
            "body_text": body_text,
            "manage_url": manage_url(subscriber),
            "unsubscribe_url": unsubscribe,
        },
        "headers": {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _tester(email):
    """An editor's test: its links name no subscriber (they lead to "link not valid")."""
    return Subscriber(email=email, key="test")


def test_message(newsletter, email):
    """The e-mail as written now, to `email`, without storing it (the preview)."""
    html, text = compose(newsletter)
    mail = _mail(newsletter, _tester(email), html, text)
    notification = Notification(
        to=mail["to"],
        template=mail["template"],
        context=mail["context"],
        headers=mail["headers"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return render_message(notification)


def send_test(newsletter, email):
    """The e-mail as written now, to the editor's own address, through the outbox."""
    html, text = compose(newsletter)
    return enqueue(**_mail(newsletter, _tester(email), html, text), reference=newsletter.reference)


def start(newsletter, now=None):
    """Write the e-mail out, its links counted, and start sending it; False when it was
    not a draft."""
    now = now or timezone.now()
    html, text = compose(newsletter)
    html, links = counted(newsletter, html)
    with transaction.atomic():
        started = Newsletter.objects.filter(pk=newsletter.pk, status=Status.DRAFT).update(
            status=Status.SENDING, body_html=html, body_text=text, links=links, started_at=now
        )
        if started:
            LinkClick.objects.bulk_create(
                LinkClick(newsletter=newsletter, position=position, url=url)
                for position, url in enumerate(links)
            )
    return bool(started)


def pause(newsletter):
    """Stop after the batch under way; False when it was not being sent."""
    return bool(
        Newsletter.objects.filter(pk=newsletter.pk, status=Status.SENDING).update(
            status=Status.PAUSED
        )
    )


def resume(newsletter):
    return bool(
        Newsletter.objects.filter(pk=newsletter.pk, status=Status.PAUSED).update(
            status=Status.SENDING
        )
    )


def _claim_batch(newsletter, now):
    """Take the next batch's turn: only one run gets it, and not before the interval."""
    due = Q(last_batch_at__isnull=True) | Q(last_batch_at__lte=now - batch_interval())
    return bool(
        Newsletter.objects.filter(due, pk=newsletter.pk, status=Status.SENDING).update(
            last_batch_at=now
        )
    )


def send_batch(newsletter, now=None):
    """Enqueue the e-mails of the next batch; returns how many. Marks the newsletter sent
    once no subscriber is left without it."""
    now = now or timezone.now()
    if not _claim_batch(newsletter, now):
        return 0
    newsletter.refresh_from_db()
    done = set(newsletter.deliveries.values_list("address_hash", flat=True))
    size, sent = batch_size(), 0
    for subscriber in recipients():
        digest = address_hash(subscriber.email)
        if digest in done:
            continue
        if sent >= size:
            break
        try:
            with transaction.atomic():
                Delivery.objects.create(newsletter=newsletter, address_hash=digest, created_at=now)
                mail = _mail(newsletter, subscriber, newsletter.body_html, newsletter.body_text)
                enqueue(
                    **mail,
                    language=subscriber.language or None,
                    reference=f"{subscriber.reference},{newsletter.reference}",
                )
        except IntegrityError:
            continue  # another run sent this one
        sent += 1
    else:
        Newsletter.objects.filter(pk=newsletter.pk, status=Status.SENDING).update(
            status=Status.SENT, finished_at=now
        )
    return sent


def send_due(now=None):
    """One batch of each newsletter being sent whose turn has come: the cron command."""
    return {
        newsletter: send_batch(newsletter, now)
        for newsletter in Newsletter.objects.filter(status=Status.SENDING)
    }
