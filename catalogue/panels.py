"""The merchant's catalogue panel on the admin's home page: when each of its sources last
synchronised, and a warning when the latest run failed or stopped, or the source is
broken. One query for every source of every shop of the merchant."""

from django.db.models import OuterRef, Subquery
from wagtail.admin.ui.components import Component

from merchants.ownership import merchant_shops

from .models import CatalogueSource, RunStatus, SyncRun


def sources_with_latest_runs(shops):
    runs = SyncRun.objects.filter(source=OuterRef("pk"))
    latest = runs.order_by("-started_at", "-pk")
    return (
        CatalogueSource.objects.filter(shop__in=shops)
        .select_related("shop")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_message=Subquery(latest.values("message")[:1]),
            synced_at=Subquery(
                runs.filter(status=RunStatus.SUCCESS)
                .order_by("-finished_at", "-pk")
                .values("finished_at")[:1]
            ),
        )
        .order_by("shop__title", "pk")
    )


class CataloguePanel(Component):
    name = "catalogue_sources"
    template_name = "catalogue/admin/panel.html"
    order = 20

    def __init__(self, sources):
        self.sources = sources

    def get_context_data(self, parent_context):
        return {
            "sources": self.sources,
            "FAILED": RunStatus.FAILED,
            "STOPPED": RunStatus.STOPPED,
        }


def add_catalogue_panel(request, panels):
    sources = list(sources_with_latest_runs(merchant_shops(request.user)))
    if sources:
        panels.append(CataloguePanel(sources))
