"""Keep each shop's admin access in step with its page, its members and the city's setting."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from home.models import PortalSettings

from . import access
from .models import MerchantPage, ShopAccess, ShopMembership


@receiver(post_save, sender=MerchantPage, dispatch_uid="merchants.shop_saved")
def shop_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        access.ensure_shop_access(instance)


@receiver(post_delete, sender=ShopAccess, dispatch_uid="merchants.shop_access_deleted")
def shop_access_deleted(sender, instance, **kwargs):
    # The shop is gone: so is its group. Its collection stays, with the photos in it.
    instance.group.delete()


@receiver(post_save, sender=ShopMembership, dispatch_uid="merchants.membership_saved")
def membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        access.join(instance)


@receiver(post_delete, sender=ShopMembership, dispatch_uid="merchants.membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    access.leave(instance)


@receiver(post_save, sender=PortalSettings, dispatch_uid="merchants.review_setting_saved")
def review_setting_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        access.apply_review_setting(instance.site, instance.merchant_changes_need_review)
