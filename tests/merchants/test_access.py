"""Each shop's people get, with no manual step, what they need in the admin — and only that."""

import pytest
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupPagePermission, Site
from wagtail.permissions import policy_registry

from home.models import PortalSettings
from merchants import access
from merchants.models import ShopAccess, ShopMembership

from .. import builders

pytestmark = pytest.mark.django_db


def review_by_the_city(on):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.merchant_changes_need_review = on
    settings.save()


def page_permissions(group):
    return set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    )


def test_a_new_shop_gets_its_own_group_and_collection(bakery):
    shop_access = ShopAccess.objects.get(shop=bakery)

    assert shop_access.group.name == f"Boulangerie Dupont (#{bakery.pk})"
    assert page_permissions(shop_access.group) == {
        (bakery.pk, "change_page"),
        (bakery.pk, "publish_page"),
    }
    assert shop_access.collection.name == "Boulangerie Dupont"
    assert shop_access.collection.get_parent().name == access.SHOPS_COLLECTION


def test_a_member_is_put_in_the_shops_group_and_the_merchants_group(baker, bakery):
    groups = set(baker.groups.values_list("name", flat=True))

    assert groups == {access.MERCHANTS_GROUP, bakery.access.group.name}
    assert baker.has_perm("products.change_product")
    assert baker.has_perm("wagtailadmin.access_admin")


def test_the_baker_edits_and_publishes_its_own_page_only(baker, bakery, flower_shop):
    own = bakery.permissions_for_user(baker)
    other = flower_shop.permissions_for_user(baker)

    assert own.can_edit() and own.can_publish()
    assert not other.can_edit() and not other.can_publish()
    assert not bakery.get_parent().permissions_for_user(baker).can_edit()
    assert not bakery.get_parent().permissions_for_user(baker).can_add_subpage()


def test_the_baker_adds_and_chooses_images_in_its_own_collection_only(baker, bakery, flower_shop):
    image_policy = policy_registry.get_by_type(get_image_model())
    own = bakery.access.collection
    for action in ("add", "choose", "change"):
        assert list(image_policy.collections_user_has_permission_for(baker, action)) == [own]
    # Wagtail lets an uploader delete the images it added: in its own collection only.
    assert list(image_policy.collections_user_has_permission_for(baker, "delete")) == [own]


def test_a_baker_leaving_the_shop_loses_its_access(baker, bakery):
    ShopMembership.objects.get(user=baker, shop=bakery).delete()

    assert not baker.groups.exists()
    baker = type(baker).objects.get(pk=baker.pk)  # permissions are cached per instance
    assert not bakery.permissions_for_user(baker).can_edit()
    assert not baker.has_perm("products.change_product")


def test_a_member_of_two_shops_keeps_the_merchants_group_while_one_remains(
    baker, bakery, flower_shop
):
    ShopMembership.objects.create(user=baker, shop=flower_shop)
    ShopMembership.objects.get(user=baker, shop=bakery).delete()

    assert set(baker.groups.values_list("name", flat=True)) == {
        access.MERCHANTS_GROUP,
        flower_shop.access.group.name,
    }


def test_when_the_city_reviews_merchants_submit_instead_of_publishing(baker, bakery):
    review_by_the_city(True)

    permissions = bakery.permissions_for_user(baker)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    workflow = bakery.get_workflow()
    assert workflow.name == access.CITY_REVIEW
    [task] = workflow.tasks
    assert list(task.specific.groups.values_list("name", flat=True)) == ["City editors"]


def test_when_the_city_stops_reviewing_merchants_publish_again(baker, bakery):
    review_by_the_city(True)
    review_by_the_city(False)

    assert bakery.permissions_for_user(baker).can_publish()


def test_a_shop_created_while_the_city_reviews_cannot_publish_either(baker):
    review_by_the_city(True)
    new_shop = builders.shop("Épicerie du Marché")

    assert page_permissions(new_shop.access.group) == {(new_shop.pk, "change_page")}


def test_renaming_a_shop_renames_its_group_and_collection(bakery):
    bakery.title = "Boulangerie Dupont & Fils"
    bakery.save_revision().publish()

    bakery.access.refresh_from_db()
    assert bakery.access.group.name == f"Boulangerie Dupont & Fils (#{bakery.pk})"
    assert (
        Collection.objects.get(pk=bakery.access.collection_id).name == "Boulangerie Dupont & Fils"
    )


def test_deleting_a_shop_deletes_its_group_but_keeps_its_photos_collection(baker, bakery):
    group_id, collection_id = bakery.access.group_id, bakery.access.collection_id

    bakery.delete()

    assert not Group.objects.filter(pk=group_id).exists()
    assert Collection.objects.filter(pk=collection_id).exists()
    assert set(baker.groups.values_list("name", flat=True)) == set()


def test_setting_up_every_shop_again_changes_nothing(bakery, flower_shop):
    before = (
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
    )

    access.ensure_every_shop_access()

    assert (
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
    ) == before
