"""The point staff's panel on the admin's home page: their first stop, on a phone."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from merchants.ownership import staffed_point_ids

from .models import CollectionPoint, PickupState


class TodayPanel(Component):
    name = "collection_today"
    template_name = "collection/admin/today_panel.html"
    order = 40

    def __init__(self, point_ids):
        self.point_ids = point_ids

    def get_context_data(self, parent_context):
        today = Q(pickups__day=timezone.localdate())
        points = (
            CollectionPoint.objects.filter(pk__in=self.point_ids)
            .annotate(
                expected=Count("pickups", filter=today & Q(pickups__state=PickupState.EXPECTED)),
                ready=Count("pickups", filter=today & Q(pickups__state=PickupState.READY)),
            )
            .order_by("name")
        )
        return {"points": points}


def staff_panels(user):
    """A panel for the staff of a point; none for anybody else (the city included)."""
    ids = staffed_point_ids(user)
    return [TodayPanel(ids)] if ids else []
