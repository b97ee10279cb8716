"""A courier's members reach the admin (for their round sheet, nothing else): they are kept
in the "Couriers" group, which holds admin access only."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from merchants.roles import admin_access_only_group

from .models import Courier

COURIERS_GROUP = "Couriers"


def ensure_couriers_group():
    return admin_access_only_group(COURIERS_GROUP)


@receiver(m2m_changed, sender=Courier.members.through)
def keep_members_in_the_group(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if reverse:  # from the user's side: `instance` is the user
        users = users.filter(pk=instance.pk)
    elif action == "post_clear":
        users = users.filter(couriers__isnull=True, groups__name=COURIERS_GROUP)
    else:
        users = users.filter(pk__in=pk_set)
    group = ensure_couriers_group()
    for user in users:
        if user.couriers.exists():
            user.groups.add(group)
        else:
            user.groups.remove(group)
