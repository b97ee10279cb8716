"""Wagtail admin views that would show a merchant other shops' objects, kept for the city.

The site history report filters log entries by model permission only: a merchant, who holds
the product permissions, would read every shop's product changes there. Merchants have
each object's own history instead. These paths are matched before Wagtail's own.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from .ownership import is_city_editor


def city_only(view):
    @never_cache
    @require_admin_access
    def guarded(request, *args, **kwargs):
        if not is_city_editor(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    path("admin/reports/site-history/", city_only(LogEntriesView.as_view())),
    path(
        "admin/reports/site-history/results/",
        city_only(LogEntriesView.as_view(results_only=True)),
    ),
]
