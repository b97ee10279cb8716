from itertools import islice

from django.db import migrations

from notifications.models import split_references

BATCH = 1000


def split_existing_references(apps, schema_editor):
    """One NotificationReference row for each reference of each e-mail stored so far."""
    Notification = apps.get_model("notifications", "Notification")
    NotificationReference = apps.get_model("notifications", "NotificationReference")
    stored = Notification.objects.exclude(reference="").values_list("pk", "reference")
    rows = (
        NotificationReference(notification_id=pk, reference=reference)
        for pk, text in stored.iterator(chunk_size=BATCH)
        for reference in split_references(text)
    )
    while batch := list(islice(rows, BATCH)):
        NotificationReference.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_references"),
    ]

    operations = [
        # Backwards there is nothing to undo: Notification.reference kept the text, and
        # reversing 0002 drops the table.
        migrations.RunPython(split_existing_references, migrations.RunPython.noop),
    ]
