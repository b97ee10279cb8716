"""Where, and in which language, the portal writes to a shop (nudges, catalogue alerts)."""

from django.conf import settings
from wagtail.users.models import UserProfile


def shop_addresses(shop):
    """The shop's order e-mail, where it reads its requests; its members' if it has none."""
    if shop.order_email:
        return [shop.order_email]
    members = shop.memberships.filter(user__is_active=True).exclude(user__email="")
    return sorted(set(members.values_list("user__email", flat=True)))


def shop_language(shop):
    """The language a member chose for the admin, else the town's (French)."""
    chosen = (
        UserProfile.objects.filter(user__shop_memberships__shop=shop)
        .exclude(preferred_language="")
        .order_by("user__shop_memberships__created_at")
        .values_list("preferred_language", flat=True)
    )
    available = dict(settings.LANGUAGES)
    return next((code for code in chosen if code in available), settings.LANGUAGE_CODE)
