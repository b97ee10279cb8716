"""`manage.py send_notifications`: what cron runs every minute."""

from io import StringIO

import pytest
from django.core.management import call_command

from notifications.management.commands import send_notifications

pytestmark = pytest.mark.django_db


def test_the_command_sends_the_due_emails(hello, mailoutbox):
    hello()
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert len(mailoutbox) == 1
    assert out.getvalue() == "sent: 1, retrying: 0, failed: 0, skipped: 0\n"


def test_the_command_is_quiet_when_there_is_nothing_to_send(db):
    # Cron mails whatever a job prints: an idle minute must print nothing.
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue() == ""


def test_the_loop_keeps_sending_until_interrupted(hello, mailoutbox, monkeypatch):
    hello(to="first@example.org")
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:
            hello(to="second@example.org")  # arrives while the command waits
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(send_notifications.time, "sleep", sleep)
    call_command("send_notifications", "--loop", "--interval", "5", stdout=StringIO())
    assert sleeps == [5, 5]
    assert [message.to[0] for message in mailoutbox] == [
        "first@example.org",
        "second@example.org",
    ]
