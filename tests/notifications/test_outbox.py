"""The outbox stores every e-mail before trying it, retries through an outage and never
sends one e-mail twice, even with several senders at work."""

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone, translation

from notifications import outbox
from notifications.models import FAILED, PENDING, SENT, Notification

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DISCONNECTED = f"{__name__}.DisconnectedBackend"


class DisconnectedBackend(BaseEmailBackend):
    """The town's SMTP server is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusedBackend(BaseEmailBackend):
    """The server refuses the recipient, and says which in its error."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            dict.fromkeys(email_messages[0].to, (550, b"No such user"))
        )


class InterleavingBackend(LocmemBackend):
    """Runs `during_send` (another sender) while the first e-mail is on the wire."""

    during_send = []

    def send_messages(self, email_messages):
        while self.during_send:
            self.during_send.pop()()
        return super().send_messages(email_messages)


def counts(sent=0, retrying=0, failed=0, skipped=0):
    return {"sent": sent, "retrying": retrying, "failed": failed, "skipped": skipped}


def seconds(n):
    return timedelta(seconds=n)


def test_an_email_is_stored_then_sent_once_the_transaction_commits(
    hello, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notification = hello(reference="R-7K2Q")
            # Stored first: no mail leaves before the caller's data is committed.
            assert Notification.objects.filter(pk=notification.pk).exists()
            assert mailoutbox == []
    notification.refresh_from_db()
    assert len(callbacks) == 1
    assert notification.status == SENT
    assert [message.to for message in mailoutbox] == [["resident@example.org"]]
    assert list(Notification.objects.about("R-7K2Q")) == [notification]


def test_nothing_is_stored_nor_sent_when_the_callers_transaction_rolls_back(
    hello, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            hello()
            raise RuntimeError("the order could not be saved")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_a_mail_server_down_at_checkout_keeps_the_email_for_later(
    hello, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DISCONNECTED
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = hello()
    notification.refresh_from_db()
    assert notification.status == PENDING
    assert notification.attempts == 1
    assert notification.last_error.startswith("SMTPServerDisconnected")
    assert mailoutbox == []


def test_the_context_is_stored_as_json_and_decimals_become_strings(hello):
    notification = hello()
    assert notification.context == {"shop": "Dupont & fils", "total": "12.50"}
    notification.refresh_from_db()
    assert notification.context["total"] == "12.50"


def test_a_long_reference_is_stored_whole(hello):
    # The resident's confirmation carries the references of every shop of the checkout.
    reference = ",".join(f"R-{n:04d}-ABCDE" for n in range(30))
    notification = hello(reference=reference)
    notification.refresh_from_db()
    assert notification.reference == reference


def test_an_email_without_a_recipient_is_refused_at_once(db):
    with pytest.raises(ValueError):
        outbox.enqueue(to="", template="tests/hello", context={})


def test_the_email_is_rendered_in_its_language_with_text_and_html(hello, mailoutbox):
    hello(language="fr", reply_to=["commandes@boulangerie-dupont.example"])
    assert outbox.send_due() == counts(sent=1)
    message = mailoutbox[0]
    # One line, and no HTML escaping in the text parts.
    assert message.subject == "Horaires — Dupont & fils (second line)"
    assert "Horaires (fr)\nShop: Dupont & fils\nTotal: 12.50" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Horaires: <strong>Dupont &amp; fils</strong></p>" in html
    assert message.to == ["resident@example.org"]
    assert message.reply_to == ["commandes@boulangerie-dupont.example"]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_language_defaults_to_the_one_active_when_enqueued(hello, mailoutbox):
    with translation.override("en"):
        notification = hello()
    # The sender runs later, in whatever language: the e-mail keeps the resident's.
    with translation.override("fr"):
        outbox.send_due()
    assert notification.language == "en"
    assert mailoutbox[0].subject.startswith("Opening hours")
    assert "Opening hours (en)" in mailoutbox[0].body


def test_the_html_part_is_optional(db, mailoutbox):
    outbox.enqueue(to="resident@example.org", template="tests/plain", context={"shop": "Lys"})
    outbox.send_due()
    assert mailoutbox[0].subject == "Plain Lys"
    assert mailoutbox[0].body == "Only text for Lys.\n"
    assert mailoutbox[0].alternatives == []


def test_a_mail_outage_delays_mail_and_loses_none(hello, settings, mailoutbox):
    settings.NOTIFICATIONS_RETRY_DELAYS = [60, 300, 900]
    addresses = [f"resident{i}@example.org" for i in range(3)]
    for address in addresses:
        hello(to=address)
    start = timezone.now()

    settings.EMAIL_BACKEND = DISCONNECTED
    assert outbox.send_due(now=start) == counts(retrying=3)
    assert {(n.attempts, n.next_attempt_at) for n in Notification.objects.all()} == {
        (1, start + seconds(60))
    }
    # Before the next attempt is due, the broken server is left alone.
    assert outbox.send_due(now=start + seconds(59)) == counts()
    assert outbox.send_due(now=start + seconds(60)) == counts(retrying=3)
    assert {(n.attempts, n.next_attempt_at) for n in Notification.objects.all()} == {
        (2, start + seconds(360))
    }
    assert mailoutbox == []

    settings.EMAIL_BACKEND = LOCMEM
    assert outbox.send_due(now=start + seconds(359)) == counts()
    assert mailoutbox == []
    assert outbox.send_due(now=start + seconds(360)) == counts(sent=3)
    assert sorted(message.to[0] for message in mailoutbox) == addresses
    # Delivered exactly once: later rounds find nothing to send.
    assert outbox.send_due(now=start + timedelta(days=1)) == counts()
    assert len(mailoutbox) == 3
    assert {n.sent_at for n in Notification.objects.all()} == {start + seconds(360)}


def test_after_the_last_attempt_the_email_is_failed_until_resent(
    hello, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_RETRY_DELAYS = [60, 300]
    notification = hello()
    now = timezone.now()

    settings.EMAIL_BACKEND = DISCONNECTED
    assert outbox.send_due(now=now) == counts(retrying=1)
    assert outbox.send_due(now=now + seconds(60)) == counts(retrying=1)
    assert outbox.send_due(now=now + seconds(360)) == counts(failed=1)
    notification.refresh_from_db()
    assert notification.status == FAILED
    assert notification.attempts == 3
    assert notification.failed_at == now + seconds(360)
    # A failed e-mail waits for a person: no sender picks it up by itself.
    assert outbox.send_due(now=now + timedelta(days=30)) == counts()

    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend(notification) is True
    assert notification.attempts == 0
    notification.refresh_from_db()
    assert notification.status == SENT
    assert len(mailoutbox) == 1


def test_only_a_failed_email_can_be_resent(hello):
    notification = hello()
    assert outbox.resend(notification) is False
    notification.refresh_from_db()
    assert notification.status == PENDING


def test_an_email_leased_by_another_sender_waits_for_the_lease_to_run_out(hello, mailoutbox):
    notification = hello()
    now = timezone.now()
    # Another sender claimed it and is still talking to the SMTP server.
    Notification.objects.filter(pk=notification.pk).update(locked_until=now + seconds(100))
    assert outbox.send_due(now=now) == counts()
    assert mailoutbox == []
    # That sender died: once its lease has run out, the e-mail is not stuck.
    assert outbox.send_due(now=now + seconds(100)) == counts(sent=1)
    assert len(mailoutbox) == 1


def test_two_senders_at_work_never_send_one_email_twice(hello, settings, mailoutbox):
    first, second = hello(to="first@example.org"), hello(to="second@example.org")
    now = timezone.now()
    settings.EMAIL_BACKEND = f"{__name__}.InterleavingBackend"
    rounds = {}
    # While sender A sends `first`, sender B runs: it must leave `first` alone and take
    # `second`, which A had already listed and must then skip.
    InterleavingBackend.during_send[:] = [lambda: rounds.update(b=outbox.send_due(now=now))]
    rounds["a"] = outbox.send_due(now=now)
    assert rounds == {"a": counts(sent=1, skipped=1), "b": counts(sent=1)}
    assert sorted(message.to[0] for message in mailoutbox) == [first.to, second.to]


def test_a_template_error_fails_its_own_email_and_no_other(hello, mailoutbox):
    hello(to="first@example.org")
    broken = outbox.enqueue(to="broken@example.org", template="tests/missing", context={})
    hello(to="last@example.org")
    assert outbox.send_due() == counts(sent=2, retrying=1)
    broken.refresh_from_db()
    assert broken.attempts == 1
    assert broken.last_error.startswith("TemplateDoesNotExist: emails/tests/missing_subject.txt")
    assert sorted(message.to[0] for message in mailoutbox) == [
        "first@example.org",
        "last@example.org",
    ]


def test_the_error_shown_to_the_city_does_not_quote_the_residents_address(hello, settings):
    notification = hello(to="jeanne.dupont@example.org")
    settings.EMAIL_BACKEND = f"{__name__}.RefusedBackend"
    outbox.send_due()
    notification.refresh_from_db()
    assert notification.last_error.startswith("SMTPRecipientsRefused")
    assert "<recipient>" in notification.last_error
    assert "jeanne.dupont" not in notification.last_error


def test_a_round_sends_at_most_its_limit_oldest_first(hello, mailoutbox):
    hello(to="first@example.org")
    hello(to="second@example.org")
    assert outbox.send_due(limit=1) == counts(sent=1)
    assert [message.to for message in mailoutbox] == [["first@example.org"]]


def test_health_tells_how_many_emails_wait_and_since_when(hello):
    now = timezone.now()
    oldest, _waiting, sent, failed = hello(), hello(), hello(), hello()
    Notification.objects.filter(pk=oldest.pk).update(created_at=now - timedelta(hours=2))
    Notification.objects.filter(pk=sent.pk).update(sent_at=now, created_at=now - timedelta(days=1))
    Notification.objects.filter(pk=failed.pk).update(
        failed_at=now, created_at=now - timedelta(days=2)
    )
    assert outbox.health() == {
        "oldest_pending_at": now - timedelta(hours=2),
        "pending": 2,
        "failed": 1,
    }


def test_health_of_an_empty_outbox(db):
    assert outbox.health() == {"oldest_pending_at": None, "pending": 0, "failed": 0}


def test_an_email_reads_as_its_number_and_template_without_personal_data(hello):
    notification = hello()
    assert str(notification) == f"#{notification.pk} tests/hello"


class SlowBackend(LocmemBackend):
    """An SMTP server that takes its time, so that two senders overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.02)
        return super().send_messages(email_messages)


# available_apps: the flush after this test empties the outbox only, not the page tree
# that later transactional tests expect from the migrations.
@pytest.mark.django_db(transaction=True, available_apps=["notifications"])
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database answers concurrent writers with 'table is "
    "locked' instead of waiting as the WAL file of a real site does; runs on PostgreSQL",
)
def test_two_sender_processes_share_the_outbox_without_duplicates(settings, mailoutbox):
    # Two threads, two database connections, committed rows: what the task worker and
    # the cron command do when they run at the same minute.
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    addresses = [f"resident{i}@example.org" for i in range(10)]
    # Stored directly: in autocommit, enqueue() would send each one at once (immediate tasks).
    Notification.objects.bulk_create(
        Notification(to=address, template="tests/plain", context={"shop": "Lys"}, language="fr")
        for address in addresses
    )
    now = timezone.now()
    start = threading.Barrier(2)
    rounds = []

    def sender():
        start.wait()
        try:
            rounds.append(outbox.send_due(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(message.to[0] for message in mailoutbox) == addresses
    assert sum(r["sent"] for r in rounds) == 10
    assert not Notification.objects.pending().exists()
