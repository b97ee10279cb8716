"""Who may manage which shop: the one ownership rule every admin view, policy and report uses.

City editors (and superusers) manage every shop. A merchant manages the shops it is a
member of, and through them their products, images and requests. Anything else that
belongs to a shop is recognised by its `shop_id`. A courier's member sees the requests
routed to its courier only (`courier_ids`).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.models import Page

CITY_EDITORS_GROUP = "City editors"


def is_city_editor(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_portal_is_city_editor", None)
    if cached is None:
        cached = user.groups.filter(name=CITY_EDITORS_GROUP).exists()
        user._portal_is_city_editor = cached
    return cached


def _member_ids(user, memberships, field):
    """The `field` ids of `user`'s rows of `memberships` (a related name on the user), read
    once per request: None for a city editor, who reaches them all; nothing for an anonymous
    or inactive user."""
    if is_city_editor(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    attribute = f"_portal_{memberships}"
    cached = getattr(user, attribute, None)
    if cached is None:
        cached = frozenset(getattr(user, memberships).values_list(field, flat=True))
        setattr(user, attribute, cached)
    return cached


def managed_shop_ids(user):
    """The ids of the shops `user` manages, or None when it manages them all."""
    return _member_ids(user, "shop_memberships", "shop_id")


def courier_ids(user):
    """The ids of the couriers (courier app) `user` rides for, or None when it sees them all
    (the city): a courier's member sees its own round sheet and nothing of another's."""
    return _member_ids(user, "couriers", "pk")


def staffed_point_ids(user):
    """The ids of the collection points `user` works at (collection.PointStaff), or None
    for a city editor. Point staff see only their points' collections: the resident's name
    and phone, never the e-mail, nor another point's."""
    return _member_ids(user, "point_memberships", "point_id")


def manages_any_shop(user):
    """Whether `user` has shops to manage at all: a city editor, or the member of a shop."""
    ids = managed_shop_ids(user)
    return ids is None or bool(ids)


def shops_for_user(user):
    """Every shop `user` may manage: all of them for a city editor."""
    from .models import MerchantPage

    ids = managed_shop_ids(user)
    shops = MerchantPage.objects.all()
    return shops if ids is None else shops.filter(pk__in=ids)


def merchant_shops(user):
    """The shops `user` runs as a merchant, by title: what its admin home shows a panel for.

    None for a city editor, who manages every shop from the whole admin rather than from
    panels, and none for a user without a shop."""
    from .models import MerchantPage

    ids = managed_shop_ids(user)
    if not ids:
        return MerchantPage.objects.none()
    return MerchantPage.objects.filter(pk__in=ids).order_by("title")


def scope_to_user(queryset, user, shop_field="shop"):
    """Restrict a queryset of shop-owned objects to those `user` may manage."""
    ids = managed_shop_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{shop_field}__in": ids})


def can_manage(user, obj):
    """Whether `user` may manage `obj`: a shop, or anything with a `shop_id`."""
    ids = managed_shop_ids(user)
    if ids is None:
        return True
    shop_id = getattr(obj, "shop_id", None)
    if shop_id is None and isinstance(obj, Page):
        # A shop page, specific or not: only shop pages appear among the managed ids.
        shop_id = obj.pk
    return shop_id is not None and shop_id in ids


def get_object_for_user(queryset, user, **lookup):
    """The object of `queryset` that `lookup` finds, if `user` may manage it.

    The one way an admin view takes an object by its id. Another shop's object answers 404
    like a missing one (or a malformed id): a merchant learns nothing of the other shops, not
    even that the id exists."""
    try:
        obj = queryset.filter(**lookup).first()
    except (ValueError, ValidationError):
        obj = None
    if obj is None or not can_manage(user, obj):
        raise Http404
    return obj
