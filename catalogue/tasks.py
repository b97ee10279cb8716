from django_tasks import task

from .models import CatalogueSource
from .sync import run


@task()
def sync_source(source_id, manual=False):
    """Synchronise one source now ("Synchroniser maintenant", or the schedule's turn)."""
    source = CatalogueSource.objects.filter(pk=source_id).first()
    if source is None:
        return None
    sync_run = run(source, manual=manual)
    return sync_run.pk if sync_run else None
