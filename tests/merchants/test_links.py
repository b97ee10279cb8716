"""Links last: a renamed shop or product keeps its old addresses working, for good.

Window posters, QR codes and shared posts carry these addresses for years: each old one
answers with a permanent redirect (301) to where the shop or product is now, and never
leads to something residents may not see.
"""

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from products import importing
from products.models import Product, ProductSlugHistory

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db


def rename(product, slug):
    product.slug = slug
    product.save()


def rename_shop(shop, slug, capture):
    # Wagtail creates its redirects once the publication is committed.
    with capture(execute=True):
        shop.slug = slug
        shop.save_revision().publish()
    shop.refresh_from_db()


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette", slug="baguette")


def test_a_renamed_products_old_address_redirects_permanently_to_the_new_one(
    client, bakery, baguette
):
    old_url = baguette.url

    rename(baguette, "baguette-tradition")

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == baguette.url
    assert baguette.url.endswith("/boulangerie-dupont/baguette-tradition/")
    assert client.get(response["Location"]).status_code == 200


def test_renamed_twice_both_old_addresses_lead_to_the_newest(client, bakery, baguette):
    first_url = baguette.url
    rename(baguette, "baguette-tradition")
    second_url = baguette.url

    rename(baguette, "tradition")

    for old_url in (first_url, second_url):
        response = client.get(old_url)
        # One hop, straight to the newest address: no chain of redirects.
        assert (response.status_code, response["Location"]) == (301, baguette.url)


def test_a_rename_in_the_admin_is_remembered(client, baker, bakery, baguette):
    old_url = baguette.url
    admin_login(client, baker)

    response = client.post(
        reverse("wagtailsnippets_products_product:edit", args=[baguette.pk]),
        {
            "name": "Baguette tradition",
            "slug": "baguette-tradition",
            "price": "1.30",
            "availability": "in_stock",
            "is_active": "on",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "8",
        },
    )

    assert response.status_code == 302
    client.logout()
    assert client.get(old_url)["Location"] == "/commerces/boulangerie-dupont/baguette-tradition/"


def test_an_emptied_address_is_made_again_from_the_new_name_and_the_old_one_redirects(
    client, bakery, baguette
):
    old_url = baguette.url
    baguette.name = "Pain au levain"
    baguette.slug = ""

    baguette.save()

    assert baguette.slug == "pain-au-levain"
    assert client.get(old_url)["Location"] == baguette.url


def test_renaming_a_product_moves_an_address_made_from_its_name(client, bakery):
    bread = builders.product(bakery, "Pain de campagne")
    old_url = bread.url

    bread.name = "Pain au levain"
    bread.save()

    assert bread.slug == "pain-au-levain"
    assert (client.get(old_url).status_code, client.get(old_url)["Location"]) == (301, bread.url)


def test_renaming_a_product_keeps_an_address_typed_by_the_merchant(bakery, baguette):
    baguette.slug = "notre-baguette"
    baguette.save()

    baguette.name = "Baguette tradition"
    baguette.save()

    assert baguette.slug == "notre-baguette"


def test_an_import_renaming_a_product_keeps_its_address(client, bakery):
    baguette = builders.product(bakery, "Baguette", sku="BAG-1")
    url = baguette.url

    importing.apply(importing.parse(bakery, b"name;price;sku\nBaguette tradition;1,40;BAG-1\n"))

    # The file changes the name, not the address: the same page answers.
    baguette.refresh_from_db()
    assert baguette.name == "Baguette tradition"
    assert client.get(url).status_code == 200


def test_a_product_moved_to_another_shop_is_found_from_the_first_one(
    client, bakery, flower_shop, baguette
):
    old_url = baguette.url

    baguette.shop = flower_shop
    baguette.save()

    assert client.get(old_url)["Location"] == "/commerces/fleurs-de-lys/baguette/"


def test_a_product_that_takes_an_old_address_wins_over_the_redirect(client, bakery, baguette):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")

    newcomer = builders.product(bakery, "Baguette", slug="baguette")

    response = client.get(old_url)
    assert response.status_code == 200
    assert response.context["product"] == newcomer


def test_a_hidden_product_holding_an_old_address_is_not_found_rather_than_redirected(
    client, bakery, baguette
):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")
    builders.product(bakery, "Baguette d'hier", slug="baguette", is_active=False)

    assert client.get(old_url).status_code == 404


def test_the_last_product_to_leave_an_address_takes_its_redirect(client, bakery, baguette):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")
    newcomer = builders.product(bakery, "Baguette", slug="baguette")

    rename(newcomer, "baguette-blanche")

    assert client.get(old_url)["Location"] == newcomer.url
    assert ProductSlugHistory.objects.filter(shop=bakery, slug="baguette").count() == 1


def test_a_renamed_product_that_is_hidden_is_not_found(client, bakery, baguette):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")

    Product.objects.filter(pk=baguette.pk).update(is_active=False)

    # Not a redirect to a page that would answer 404 anyway.
    assert client.get(old_url).status_code == 404


def test_a_renamed_product_of_an_unpublished_shop_is_not_found(client, bakery, baguette):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")

    bakery.unpublish()

    assert client.get(old_url).status_code == 404


def test_an_old_address_of_another_shop_leads_nowhere(client, bakery, flower_shop, baguette):
    rename(baguette, "baguette-tradition")

    # The fleuriste never had a baguette: the bakery's old address is the bakery's only.
    assert client.get(f"{flower_shop.url}baguette/").status_code == 404


def test_deleting_a_product_forgets_its_old_addresses(client, bakery, baguette):
    old_url = baguette.url
    rename(baguette, "baguette-tradition")

    baguette.delete()

    assert not ProductSlugHistory.objects.exists()
    assert client.get(old_url).status_code == 404


def test_saving_without_a_new_address_records_nothing(bakery, baguette):
    baguette.price = 2
    baguette.save()

    assert not ProductSlugHistory.objects.exists()


# The shop's own address: Wagtail's redirects


def test_a_renamed_shops_old_address_redirects_permanently(
    client, bakery, django_capture_on_commit_callbacks
):
    old_url = bakery.url

    rename_shop(bakery, "boulangerie-martin", django_capture_on_commit_callbacks)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/commerces/boulangerie-martin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_renamed_shops_old_product_addresses_redirect_permanently(
    client, bakery, baguette, django_capture_on_commit_callbacks
):
    old_url = baguette.url

    rename_shop(bakery, "boulangerie-martin", django_capture_on_commit_callbacks)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/commerces/boulangerie-martin/baguette/"
    assert client.get(response["Location"]).status_code == 200


def test_an_old_product_address_under_an_old_shop_address_reaches_the_product(
    client, bakery, baguette, django_capture_on_commit_callbacks
):
    # A poster printed before both renames.
    oldest_url = baguette.url
    rename(baguette, "baguette-tradition")

    rename_shop(bakery, "boulangerie-martin", django_capture_on_commit_callbacks)

    response = client.get(oldest_url, follow=True)
    assert response.redirect_chain[0][1] == 301
    assert all(status == 301 for _url, status in response.redirect_chain)
    assert response.request["PATH_INFO"] == "/commerces/boulangerie-martin/baguette-tradition/"
    assert response.status_code == 200


def test_the_shops_redirects_are_wagtails_own_and_the_city_manages_them(
    bakery, baguette, django_capture_on_commit_callbacks
):
    rename_shop(bakery, "boulangerie-martin", django_capture_on_commit_callbacks)

    redirects = Redirect.objects.filter(redirect_page=bakery)
    assert {(r.old_path, r.redirect_page_route_path) for r in redirects} == {
        ("/commerces/boulangerie-dupont", ""),
        ("/commerces/boulangerie-dupont/baguette", "/baguette/"),
    }
    assert all(r.is_permanent and r.automatically_created for r in redirects)


def test_an_unpublished_renamed_shop_shows_nothing_at_its_old_address(
    client, bakery, baguette, django_capture_on_commit_callbacks
):
    old_urls = (bakery.url, baguette.url)
    rename_shop(bakery, "boulangerie-martin", django_capture_on_commit_callbacks)

    bakery.unpublish()

    for old_url in old_urls:
        # Wagtail's redirect still points at the shop (it comes back if the shop is
        # published again), and its new address answers 404 meanwhile.
        response = client.get(old_url, follow=True)
        assert response.status_code == 404
