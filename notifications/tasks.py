from django_tasks import task

from .outbox import send_due


@task()
def send_due_notifications():
    """Send what the outbox has due; enqueued after each commit that stores an e-mail."""
    return send_due()
