"""What a shop's people may do in the admin, set up with no manual step.

Every shop gets a `ShopAccess` as soon as its page exists: a group of its own, with page
permissions on the shop page only, and an image collection of its own, with add, choose
and change permissions on it. The shop's members (`ShopMembership`) are kept in that group
and in the shared "Merchants" group, which holds admin access and the permissions the apps
built on merchants declare on their AppConfig (products: its own); the product permission
policy (products/permissions.py) narrows those to the member's own shops through the one
ownership rule.

Whether a merchant's page changes go live at once is the city's choice
(`PortalSettings.merchant_changes_need_review`): the shop groups get "publish" or, when the
city reviews, submit to the "City review" workflow, whose task the city editors approve.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .ownership import CITY_EDITORS_GROUP
from .roles import declared_by_apps

MERCHANTS_GROUP = "Merchants"
CITY_REVIEW = "City review"
SHOPS_COLLECTION = "Commerces"
# (app label, codename): what every merchant holds, with what the apps built on merchants
# declare on their AppConfig (`merchant_permissions`: products' own, which its permission
# policy scopes to the merchant's shops).
MERCHANT_PERMISSIONS = [("wagtailadmin", "access_admin")]
IMAGE_ACTIONS = ["add", "choose", "change"]


def _permissions(pairs):
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def ensure_merchants_group():
    group, _created = Group.objects.get_or_create(name=MERCHANTS_GROUP)
    pairs = MERCHANT_PERMISSIONS + declared_by_apps("merchant_permissions")
    group.permissions.add(*_permissions(pairs))
    return group


def ensure_city_review_workflow():
    """The "City review" workflow: one task, approved by the city editors."""
    workflow, _created = Workflow.objects.get_or_create(name=CITY_REVIEW)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=CITY_REVIEW).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=CITY_REVIEW)
        city_editors, _created = Group.objects.get_or_create(name=CITY_EDITORS_GROUP)
        task.groups.add(city_editors)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def shops_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SHOPS_COLLECTION).first()
    return existing or root.add_child(name=SHOPS_COLLECTION)


def group_name(shop):
    # Group names are unique: the page id tells two shops of the same name apart.
    return f"{shop.title[:100]} (#{shop.pk})"


def site_of(shop):
    return shop.get_site() or Site.objects.filter(is_default_site=True).first()


def needs_review(site):
    from home.models import PortalSettings

    return site is not None and PortalSettings.for_site(site).merchant_changes_need_review


def ensure_shop_access(shop):
    """The shop's group, collection and permissions; creates what is missing, renames the
    group and collection when the shop's name changed. Safe to call again."""
    from .models import ShopAccess

    access = ShopAccess.objects.select_related("group", "collection").filter(shop=shop).first()
    if access is not None:
        _follow_the_name(access, shop)
        return access
    with transaction.atomic():
        group = Group.objects.create(name=group_name(shop))
        collection = shops_collection().add_child(name=shop.title)
        access = ShopAccess.objects.create(shop=shop, group=group, collection=collection)
        GroupPagePermission.objects.create(
            group=group, page=shop, permission=_page_permission("change_page")
        )
        image_permissions = _permissions(
            [("wagtailimages", f"{action}_image") for action in IMAGE_ACTIONS]
        )
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=group, collection=collection, permission=permission)
            for permission in image_permissions
        )
        apply_review_rule([access], needs_review(site_of(shop)))
        merchants = ensure_merchants_group()
        for membership in shop.memberships.select_related("user"):
            membership.user.groups.add(group, merchants)
    return access


def _follow_the_name(access, shop):
    if access.group.name != group_name(shop):
        access.group.name = group_name(shop)
        access.group.save(update_fields=["name"])
    if access.collection.name != shop.title:
        access.collection.name = shop.title
        access.collection.save(update_fields=["name"])


def apply_review_rule(accesses, review):
    """Shop groups publish directly, or (review) submit to the city's workflow."""
    publish = _page_permission("publish_page")
    group_ids = [access.group_id for access in accesses]
    if review:
        GroupPagePermission.objects.filter(group_id__in=group_ids, permission=publish).delete()
        workflow = ensure_city_review_workflow()
        parent_ids = {access.shop.get_parent().pk for access in accesses}
        for parent_id in parent_ids:
            # A workflow the city assigned there itself is left as it is.
            WorkflowPage.objects.get_or_create(page_id=parent_id, defaults={"workflow": workflow})
    else:
        GroupPagePermission.objects.bulk_create(
            [
                GroupPagePermission(
                    group_id=access.group_id, page_id=access.shop_id, permission=publish
                )
                for access in accesses
            ],
            ignore_conflicts=True,
        )


def apply_review_setting(site, review):
    """After the city changed the setting: every shop of that site follows it."""
    from .models import ShopAccess

    accesses = ShopAccess.objects.select_related("shop").filter(
        shop__path__startswith=site.root_page.path
    )
    apply_review_rule(list(accesses), review)


def join(membership):
    access = ensure_shop_access(membership.shop)
    membership.user.groups.add(access.group, ensure_merchants_group())


def leave(membership):
    from .models import ShopAccess

    user = membership.user
    access = ShopAccess.objects.filter(shop_id=membership.shop_id).first()
    if access is not None:
        user.groups.remove(access.group_id)
    if not user.shop_memberships.exists():
        user.groups.remove(*Group.objects.filter(name=MERCHANTS_GROUP))


def ensure_every_shop_access():
    """After a migrate: shops that existed before this module get their access too."""
    from .models import MerchantPage

    ensure_merchants_group()
    for shop in MerchantPage.objects.filter(access__isnull=True):
        ensure_shop_access(shop)
