"""What a collection point's staff may do in the admin, kept in step with PointStaff rows:
log in to the admin (the one permission their group holds) and reach their points' day
lists (views.py, through the ownership rule's `staffed_point_ids`). Nothing else of the
admin is theirs: no model permission, no page, no image."""

from django.contrib.auth.models import Group

from merchants.roles import admin_access_only_group

STAFF_GROUP = "Collection point staff"


def ensure_staff_group():
    return admin_access_only_group(STAFF_GROUP)


def join(staff):
    staff.user.groups.add(ensure_staff_group())


def leave(staff):
    user = staff.user
    if not user.point_memberships.exists():
        user.groups.remove(*Group.objects.filter(name=STAFF_GROUP))
