from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import access
from .models import PointStaff


@receiver(post_save, sender=PointStaff)
def staff_joined(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        access.join(instance)


@receiver(post_delete, sender=PointStaff)
def staff_left(sender, instance, **kwargs):
    access.leave(instance)
