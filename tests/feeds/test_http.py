"""What every feed shares: only what residents may see, conditional answers, and a fixed
number of queries whatever the number of products."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from merchants.models import MerchantPage
from products.models import Product, ProductImage

from .. import builders
from .conftest import atom_entries, csv_rows, private, rss_items

pytestmark = pytest.mark.django_db

KINDS = ("google", "local", "meta", "news")


def listed_names(response, kind):
    """The product names a feed lists, by id."""
    if kind == "meta":
        ids = [row["id"] for row in csv_rows(response)]
    elif kind == "news":
        ids = [
            entry.find("{http://www.w3.org/2005/Atom}link").get("href")
            for entry in atom_entries(response)
        ]
        return sorted(
            Product.objects.get(slug=url.rstrip("/").rsplit("/", 1)[1]).name for url in ids
        )
    else:
        ids = [item["id"][0] for item in rss_items(response)]
    return sorted(Product.objects.filter(pk__in=ids).values_list("name", flat=True))


def with_store_code(shop_page, code):
    shop_page.store_code = code
    shop_page.save_revision().publish()
    return shop_page


@pytest.fixture
def town(bakery, flower_shop, photo):
    """A baker's and a florist's products, a hidden one, and those of an unpublished and of
    a private shop."""
    with_store_code(bakery, "BOUL-1")
    with_store_code(flower_shop, "FLEUR-1")
    builders.product(bakery, "Baguette", image=photo)
    builders.product(flower_shop, "Roses", image=photo)
    builders.product(bakery, "Cachée", image=photo, is_active=False)
    draft = builders.shop("Brouillon", publish=False, store_code="BROU-1")
    builders.product(draft, "Du brouillon", image=photo)
    closed = private(builders.shop("Privé", store_code="PRIV-1"))
    builders.product(closed, "Du privé", image=photo)
    return {"draft": draft, "private": closed}


@pytest.mark.parametrize("kind", KINDS)
def test_a_town_feed_lists_only_visible_products_of_public_shops(client, town, kind):
    response = client.get(reverse(f"feeds:town:{kind}"))

    assert response.status_code == 200
    assert listed_names(response, kind) == ["Baguette", "Roses"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_feeds_of_a_town_without_products_are_valid_and_empty(client, home, kind):
    response = client.get(reverse(f"feeds:town:{kind}"))

    assert response.status_code == 200 and response.has_header("ETag")
    assert listed_names(response, kind) == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["draft", "private"])
def test_the_feed_of_a_shop_not_public_is_not_found(client, town, kind, which):
    url = reverse(f"feeds:shop:{kind}", kwargs={"shop_id": town[which].pk})

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["google", "local", "meta"])
def test_google_and_meta_leave_out_a_product_without_photo(client, bakery, photo, kind):
    with_store_code(bakery, "BOUL-1")
    builders.product(bakery, "Baguette", image=photo)
    builders.product(bakery, "Sans photo")

    response = client.get(reverse(f"feeds:shop:{kind}", kwargs={"shop_id": bakery.pk}))

    assert listed_names(response, kind) == ["Baguette"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_unchanged_feed_answers_304(client, town, kind):
    url = reverse(f"feeds:town:{kind}")
    first = client.get(url)

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert by_etag.content == b""


def change_price(product):
    product.price += 1
    product.save()


def hide(product):
    Product.objects.filter(pk=product.pk).update(is_active=False)  # as the bulk action does


def delete(product):
    product.delete()


def unpublish_shop(product):
    product.shop.unpublish()


@pytest.mark.parametrize("change", [change_price, hide, delete, unpublish_shop])
@pytest.mark.parametrize("kind", KINDS)
def test_the_etag_changes_with_what_the_feed_lists(client, town, kind, change):
    url = reverse(f"feeds:town:{kind}")
    before = client.get(url)["ETag"]

    change(Product.objects.get(name="Roses"))

    response = client.get(url, headers={"if-none-match": before})
    assert response.status_code == 200 and response["ETag"] != before


def test_a_product_hidden_by_its_form_moves_last_modified(client, bakery, photo):
    bread = builders.product(bakery, "Baguette", image=photo)
    # An hour ago: Last-Modified counts whole seconds.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Product.objects.update(updated_at=an_hour_ago)
    MerchantPage.objects.update(last_published_at=an_hour_ago)
    url = reverse("feeds:shop:google", kwargs={"shop_id": bakery.pk})
    before = client.get(url)

    bread.is_active = False
    bread.save()

    after = client.get(url, headers={"if-modified-since": before["Last-Modified"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def populate(shop_page, count, photo):
    """`count` products with a photo, written in bulk (the count is what matters here)."""
    start = Product.objects.count()
    products = Product.objects.bulk_create(
        Product(shop=shop_page, name=f"Produit {n}", slug=f"produit-{n}", price=2)
        for n in range(start, start + count)
    )
    ProductImage.objects.bulk_create(
        ProductImage(product=product, image=photo, alt_text="Photo") for product in products
    )


def feed_queries(client, url):
    assert client.get(url).status_code == 200  # warm-up: renditions made, site paths cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("scope", ["town", "shop"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_costs_the_same_queries_for_3_and_300_products(client, bakery, photo, kind, scope):
    with_store_code(bakery, "BOUL-1")
    kwargs = {"shop_id": bakery.pk} if scope == "shop" else {}
    url = reverse(f"feeds:{scope}:{kind}", kwargs=kwargs)

    populate(bakery, 3, photo)
    few = feed_queries(client, url)
    populate(bakery, 197, photo)
    # The town's feed reads a hundred more in two more shops; the shop's does not list them.
    for number in range(2):
        populate(with_store_code(builders.shop(f"Autre {number}"), f"AUTRE-{number}"), 50, photo)
    many = feed_queries(client, url)

    assert few == many
    listed = 50 if kind == "news" else (300 if scope == "town" else 200)
    assert len(listed_names(client.get(url), kind)) == listed
