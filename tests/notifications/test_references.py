"""Finding the e-mails about some objects: an exact match on each reference an e-mail
names, whatever the database, in one query."""

import importlib

import pytest
from django.apps import apps

from notifications.models import Notification, NotificationReference, split_references

pytestmark = pytest.mark.django_db

split_migration = importlib.import_module("notifications.migrations.0003_split_references")


def mail(reference):
    return Notification.objects.create(
        to="resident@example.org", template="tests/hello", language="fr", reference=reference
    )


def test_about_matches_each_reference_exactly():
    alone = mail("AB12-CD34")
    first = mail("AB12-CD34,EF56-GH78")
    middle = mail("EF56-GH78,AB12-CD34,JK90-LM12")
    last = mail("EF56-GH78,AB12-CD34")
    # Longer references that start, end or contain it are other requests.
    for other in (
        "AB12-CD345",
        "XAB12-CD34",
        "EF56-GH78,AB12-CD345",
        "XAB12-CD34,EF56-GH78",
        "EF56-GH78,AB12-CD34X,JK90-LM12",
        "ab12-cd34",
        "",
    ):
        mail(other)

    assert set(Notification.objects.about("AB12-CD34")) == {alone, first, middle, last}


def test_about_several_references_lists_each_email_once(hello):
    both = hello(reference="AB12-CD34,EF56-GH78")
    one = hello(reference="EF56-GH78")
    hello(reference="JK90-LM12")

    found = list(Notification.objects.about("AB12-CD34", "EF56-GH78").order_by("pk"))

    assert found == [both, one]


def test_about_is_one_query_however_many_references(django_assert_num_queries):
    references = [f"R{n:04d}-ABCD" for n in range(600)]
    for start in range(0, len(references), 3):
        mail(",".join(references[start : start + 3]))

    with django_assert_num_queries(1):
        found = list(Notification.objects.about(*references))

    assert len(found) == 200


def test_about_no_reference_is_no_email(django_assert_num_queries):
    mail("AB12-CD34")

    with django_assert_num_queries(0):
        assert list(Notification.objects.about()) == []


def test_a_changed_reference_replaces_what_the_email_is_about():
    notification = mail("AB12-CD34,EF56-GH78")

    notification.reference = "EF56-GH78,JK90-LM12"
    notification.save()

    assert list(Notification.objects.about("AB12-CD34")) == []
    assert list(Notification.objects.about("JK90-LM12")) == [notification]
    assert sorted(notification.references.values_list("reference", flat=True)) == [
        "EF56-GH78",
        "JK90-LM12",
    ]


def test_saving_other_fields_leaves_the_references_alone(django_assert_num_queries):
    notification = mail("AB12-CD34")

    notification.attempts = 1
    with django_assert_num_queries(1):
        notification.save(update_fields=["attempts"])

    assert list(Notification.objects.about("AB12-CD34")) == [notification]


def test_split_references_keeps_each_reference_once_in_order():
    assert split_references("EF56-GH78,AB12-CD34,,EF56-GH78,") == ["EF56-GH78", "AB12-CD34"]
    assert split_references("monthly_report:7:2026-11") == ["monthly_report:7:2026-11"]
    assert split_references("") == []


def test_the_migration_splits_the_emails_stored_before_it():
    # bulk_create skips save(): rows as the outbox stored them before the table existed.
    confirmation, receipt, _unnamed = Notification.objects.bulk_create(
        Notification(to="resident@example.org", template="tests/hello", language="fr", reference=r)
        for r in ("AB12-CD34,EF56-GH78", "AB12-CD34", "")
    )
    assert not NotificationReference.objects.exists()

    split_migration.split_existing_references(apps, schema_editor=None)

    stored = sorted(NotificationReference.objects.values_list("notification_id", "reference"))
    assert stored == [
        (confirmation.pk, "AB12-CD34"),
        (confirmation.pk, "EF56-GH78"),
        (receipt.pk, "AB12-CD34"),
    ]
    assert set(Notification.objects.about("EF56-GH78")) == {confirmation}
