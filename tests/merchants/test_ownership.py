"""Who may manage which shop (merchants/ownership.py) and the city editors' role (roles.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.http import Http404
from wagtail.models import GroupPagePermission, Page

from merchants.models import MerchantPage, ShopMembership
from merchants.ownership import (
    CITY_EDITORS_GROUP,
    can_manage,
    get_object_for_user,
    manages_any_shop,
    merchant_shops,
    scope_to_user,
    shops_for_user,
)
from merchants.roles import ensure_city_editors_group
from products.models import Product
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette")


@pytest.fixture
def roses(flower_shop):
    return builders.product(flower_shop, "Bouquet de roses")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="secret"
    )


def test_baker_manages_the_bakery_and_its_products(baker, bakery, baguette):
    assert can_manage(baker, bakery)
    assert can_manage(baker, baguette)


def test_baker_cannot_manage_the_flower_shop(baker, flower_shop):
    assert not can_manage(baker, flower_shop)


def test_baker_cannot_manage_the_florists_product(baker, roses):
    assert not can_manage(baker, roses)


def test_florist_cannot_manage_bakers_product(florist, baguette):
    assert not can_manage(florist, baguette)


def test_city_editor_manages_every_shop_and_product(
    city_editor, bakery, flower_shop, baguette, roses
):
    assert all(can_manage(city_editor, obj) for obj in (bakery, flower_shop, baguette, roses))


def test_superuser_manages_every_shop_without_being_a_member(superuser, bakery, roses):
    assert can_manage(superuser, bakery)
    assert can_manage(superuser, roses)


def test_anonymous_visitor_manages_nothing(bakery, baguette):
    anonymous = AnonymousUser()

    assert not can_manage(anonymous, bakery)
    assert not can_manage(anonymous, baguette)
    assert not shops_for_user(anonymous).exists()
    assert not scope_to_user(Product.objects.all(), anonymous).exists()


def test_inactive_baker_manages_nothing(baker, bakery, baguette):
    baker.is_active = False
    baker.save()

    assert not can_manage(baker, bakery)
    assert not can_manage(baker, baguette)
    assert not shops_for_user(baker).exists()


def test_inactive_city_editor_manages_nothing(city_editor, bakery):
    city_editor.is_active = False
    city_editor.save()

    assert not can_manage(city_editor, bakery)
    assert not shops_for_user(city_editor).exists()


def test_inactive_superuser_manages_nothing(superuser, bakery):
    superuser.is_active = False
    superuser.save()

    assert not can_manage(superuser, bakery)


def test_shops_for_baker_is_only_the_bakery(baker, bakery, flower_shop):
    assert list(shops_for_user(baker)) == [bakery]


def test_shops_for_city_editor_are_all_shops(city_editor, bakery, flower_shop):
    assert set(shops_for_user(city_editor)) == {bakery, flower_shop}


def test_scope_to_user_keeps_only_the_bakers_products(baker, baguette, roses):
    croissant = builders.product(baguette.shop, "Croissant")

    assert set(scope_to_user(Product.objects.all(), baker)) == {baguette, croissant}


def test_scope_to_user_keeps_every_product_for_a_city_editor(city_editor, baguette, roses):
    assert set(scope_to_user(Product.objects.all(), city_editor)) == {baguette, roses}


def test_get_object_for_user_returns_the_bakers_own_product(baker, baguette):
    assert get_object_for_user(Product.objects.all(), baker, pk=baguette.pk) == baguette


def test_get_object_for_user_returns_the_bakers_own_shop(baker, bakery):
    assert get_object_for_user(MerchantPage.objects.all(), baker, pk=bakery.pk) == bakery


def test_get_object_for_user_hides_another_shops_product_as_missing(baker, roses):
    with pytest.raises(Http404):
        get_object_for_user(Product.objects.all(), baker, pk=roses.pk)


def test_get_object_for_user_hides_another_shop_as_missing(baker, flower_shop):
    with pytest.raises(Http404):
        get_object_for_user(MerchantPage.objects.all(), baker, pk=flower_shop.pk)


def test_get_object_for_user_gives_a_city_editor_any_shops_object(
    city_editor, bakery, flower_shop, baguette, roses
):
    for obj in (bakery, flower_shop):
        assert get_object_for_user(MerchantPage.objects.all(), city_editor, pk=obj.pk) == obj
    for obj in (baguette, roses):
        assert get_object_for_user(Product.objects.all(), city_editor, pk=obj.pk) == obj


def test_get_object_for_user_gives_a_user_without_a_shop_nothing(
    django_user_model, bakery, baguette
):
    former_merchant = django_user_model.objects.create_user("ancien", "ancien@example.org")

    with pytest.raises(Http404):
        get_object_for_user(MerchantPage.objects.all(), former_merchant, pk=bakery.pk)
    with pytest.raises(Http404):
        get_object_for_user(Product.objects.all(), former_merchant, pk=baguette.pk)


def test_get_object_for_user_gives_404_for_a_malformed_id(baker):
    with pytest.raises(Http404):
        get_object_for_user(Product.objects.all(), baker, pk="baguette")


def test_get_object_for_user_gives_404_for_a_missing_product(baker, baguette):
    missing = Product.objects.order_by("-pk").first().pk + 1

    with pytest.raises(Http404):
        get_object_for_user(Product.objects.all(), baker, pk=missing)


def test_merchant_shops_are_the_bakers_own(baker, bakery, flower_shop):
    assert list(merchant_shops(baker)) == [bakery]


def test_merchant_shops_of_a_merchant_of_two_shops_come_by_title(baker, bakery):
    grocery = builders.shop("Au Bon Panier")
    ShopMembership.objects.create(user=baker, shop=grocery)

    assert list(merchant_shops(baker)) == [grocery, bakery]


def test_merchant_shops_are_none_for_a_city_editor(city_editor, bakery, flower_shop):
    # The city manages every shop from the whole admin, not from a shop's panels.
    assert not merchant_shops(city_editor).exists()


def test_merchant_shops_are_none_without_a_shop(django_user_model, bakery):
    former_merchant = django_user_model.objects.create_user("ancien", "ancien@example.org")

    assert not merchant_shops(former_merchant).exists()
    assert not merchant_shops(AnonymousUser()).exists()


def test_merchant_shops_of_an_inactive_merchant_are_none(baker, bakery):
    baker.is_active = False
    baker.save()

    assert not merchant_shops(baker).exists()


def test_who_manages_any_shop(django_user_model, baker, city_editor, superuser):
    former_merchant = django_user_model.objects.create_user("ancien", "ancien@example.org")

    assert manages_any_shop(baker)
    assert manages_any_shop(city_editor)
    assert manages_any_shop(superuser)
    assert not manages_any_shop(former_merchant)
    assert not manages_any_shop(AnonymousUser())


# Roles -----------------------------------------------------------------------------------


def test_city_editors_group_exists_after_migrate_with_admin_access():
    group = Group.objects.get(name=CITY_EDITORS_GROUP)

    assert group.permissions.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).exists()


def test_city_editors_may_edit_and_publish_every_page_from_the_root():
    group = Group.objects.get(name=CITY_EDITORS_GROUP)
    root = Page.get_first_root_node()

    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )

    assert {"add_page", "change_page", "publish_page"} <= codenames


def test_city_editor_may_change_shop_settings_and_products(city_editor):
    assert city_editor.has_perm("home.change_portalsettings")
    assert city_editor.has_perm("products.change_product")
    assert city_editor.has_perm("merchants.add_shopmembership")


def test_city_editor_cannot_edit_user_accounts_or_groups(city_editor):
    # Granting themselves more rights must stay a superuser's job.
    assert not city_editor.has_perm("auth.change_user")
    assert not city_editor.has_perm("auth.change_group")


def test_ensuring_the_group_twice_grants_nothing_twice():
    group = ensure_city_editors_group()
    rows = GroupPagePermission.objects.filter(group=group).count()

    ensure_city_editors_group()

    assert GroupPagePermission.objects.filter(group=group).count() == rows
    assert Group.objects.filter(name=CITY_EDITORS_GROUP).count() == 1


def test_baker_holds_no_permission_on_users_groups_or_settings(baker):
    permissions = baker.get_all_permissions()
    sensitive = Permission.objects.filter(
        content_type__app_label__in=["auth", "wagtailusers"]
    ) | Permission.objects.filter(content_type__model__in=["portalsettings", "site"])

    assert permissions  # the baker can at least reach the admin
    assert not {f"{p.content_type.app_label}.{p.codename}" for p in sensitive} & permissions


def test_baker_is_not_a_city_editor(baker, bakery):
    assert not baker.groups.filter(name=CITY_EDITORS_GROUP).exists()
    # Page permissions on the baker's own shop page, and nowhere else.
    pages = set(
        GroupPagePermission.objects.filter(group__user=baker).values_list("page", flat=True)
    )
    assert pages == {bakery.pk}


def test_baker_manages_own_shop_even_as_a_generic_page(baker, bakery, flower_shop):
    from wagtail.models import Page

    assert can_manage(baker, Page.objects.get(pk=bakery.pk))
    assert not can_manage(baker, Page.objects.get(pk=flower_shop.pk))
