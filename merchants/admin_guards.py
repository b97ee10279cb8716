"""Wagtail admin views that would show a merchant other shops' objects, kept for the city.

Wagtail's reports filter by model permission, not by shop: in the site history a merchant,
who holds the product permissions, would read every shop's product changes, and the page
types report names the last edited page of each type (another shop's draft). Merchants
have each object's own history and their home page instead: every report is the city's.
These paths are matched before Wagtail's own.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView

from .ownership import is_city_editor


def city_only(view):
    @never_cache
    @require_admin_access
    def guarded(request, *args, **kwargs):
        if not is_city_editor(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded


# Wagtail's reports (wagtail/admin/urls/reports.py): each page and its results.
REPORTS = {
    "locked": LockedPagesView,
    "workflow": WorkflowView,
    "workflow_tasks": WorkflowTasksView,
    "site-history": LogEntriesView,
    "aging-pages": AgingPagesView,
    "page-types-usage": PageTypesUsageReportView,
}

urlpatterns = [
    path(f"admin/reports/{slug}/{suffix}", city_only(view.as_view(results_only=bool(suffix))))
    for slug, view in REPORTS.items()
    for suffix in ("", "results/")
]
