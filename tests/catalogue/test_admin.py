"""Catalogue sources in the admin: a merchant's own only, their runs, and what a source
manages on its products."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueSource, RunStatus, SourceCategory, SyncRun
from merchants.access import MERCHANTS_GROUP
from merchants.ownership import CITY_EDITORS_GROUP
from products.models import Product

from .. import builders
from ..builders import FormFields, admin_login

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_catalogue_cataloguesource"
LIST = reverse(f"{URLS}:list")
ADD = reverse(f"{URLS}:add")
DASHBOARD = reverse("wagtailadmin_home")


def source(shop, name="Ma boutique en ligne", **fields):
    defaults = {"kind": "shopify", "url": "https://boutique.example"}
    defaults.update(fields)
    return CatalogueSource.objects.create(shop=shop, name=name, **defaults)


def url(view, obj):
    return reverse(f"{URLS}:{view}", args=[obj.pk])


def finished_run(src, ago=timedelta(hours=2), status=RunStatus.SUCCESS, **fields):
    started = timezone.now() - ago
    return SyncRun.objects.create(
        source=src,
        started_at=started,
        finished_at=started + timedelta(seconds=12),
        status=status,
        **fields,
    )


def form_data(response, form_id):
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return {name: values[0] for name, values in parser.data.items()}


@pytest.fixture
def web_shop(bakery):
    return source(bakery, "Boutique du boulanger")


@pytest.fixture
def flower_feed(flower_shop):
    return source(flower_shop, "Flux des fleurs", kind="google_feed", url="https://f.example/f")


# Who may do what


def test_the_merchants_and_the_city_editors_groups_hold_the_source_permissions(db):
    for name in (MERCHANTS_GROUP, CITY_EDITORS_GROUP):
        held = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="catalogue")
            .values_list("codename", flat=True)
        )
        assert {
            "add_cataloguesource",
            "change_cataloguesource",
            "delete_cataloguesource",
            "view_cataloguesource",
        } <= held, name


def test_a_merchant_lists_its_own_sources_only(client, baker, web_shop, flower_feed):
    admin_login(client, baker)

    page = client.get(LIST).content.decode()

    assert "Boutique du boulanger" in page
    assert "Flux des fleurs" not in page


def test_the_city_editor_lists_every_shops_sources(client, city_editor, web_shop, flower_feed):
    admin_login(client, city_editor)

    page = client.get(LIST).content.decode()

    assert "Boutique du boulanger" in page and "Flux des fleurs" in page


def test_a_merchant_adds_a_source_to_its_own_shop_whatever_shop_it_posts(
    client, baker, bakery, flower_shop
):
    admin_login(client, baker)

    response = client.post(
        ADD,
        {
            "shop": flower_shop.pk,
            "kind": "woocommerce",
            "url": "https://pains.example",
            "name": "Mon WooCommerce",
            "interval_hours": "6",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    added = CatalogueSource.objects.get(name="Mon WooCommerce")
    assert added.shop_id == bakery.pk


@pytest.mark.parametrize(
    "typed", ["ftp://pains.example/catalogue.csv", "file:///etc/passwd", "pains.example:21"]
)
def test_a_web_address_that_is_not_http_is_refused_next_to_the_field(client, baker, typed):
    admin_login(client, baker)

    response = client.post(
        ADD, {"kind": "csv", "url": typed, "name": "Fichier", "interval_hours": "6"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["url"]
    assert typed in response.content.decode()
    assert not CatalogueSource.objects.exists()


def test_the_web_address_message_says_http_or_https(client, baker):
    admin_login(client, baker)

    response = client.post(
        ADD, {"kind": "csv", "url": "ftp://pains.example/c.csv", "interval_hours": "6"}
    )

    assert "Enter a web address that starts with http:// or https://." in (
        response.content.decode()
    )


@pytest.mark.parametrize("view", ["edit", "delete", "usage", "history", "report"])
def test_another_shops_source_is_not_found_on_every_view(client, baker, flower_feed, view):
    admin_login(client, baker)

    assert client.get(url(view, flower_feed)).status_code == 404


def test_posting_to_another_shops_source_changes_nothing(client, baker, flower_feed):
    admin_login(client, baker)

    edited = client.post(
        url("edit", flower_feed),
        {"kind": "csv", "url": "https://vole.example", "name": "Volé", "interval_hours": "1"},
    )
    deleted = client.post(url("delete", flower_feed))
    bulk = client.post(
        reverse("wagtail_bulk_action", args=["catalogue", "cataloguesource", "delete"])
        + f"?id={flower_feed.pk}"
    )

    assert edited.status_code == deleted.status_code == bulk.status_code == 404
    flower_feed.refresh_from_db()
    assert (flower_feed.name, flower_feed.url) == ("Flux des fleurs", "https://f.example/f")


# The source's report


def test_the_report_shows_the_last_runs_and_the_latest_runs_problems(client, baker, web_shop):
    finished_run(web_shop, ago=timedelta(days=1), created=40, problems=[{"where": "old"}])
    finished_run(
        web_shop,
        created=3,
        updated=5,
        hidden=1,
        unchanged=31,
        skipped=2,
        images=4,
        problems=[
            {"where": "produit 7", "reason": "Le prix manque."},
            {"where": "produit 9", "reason": "Le nom manque."},
        ],
    )
    admin_login(client, baker)

    response = client.get(url("report", web_shop))

    page = response.content.decode()
    assert response.status_code == 200
    assert [run.created for run in response.context["runs"]] == [3, 40]
    assert "produit 7" in page and "Le prix manque." in page and "Le nom manque." in page
    assert "old" not in [problem["where"] for problem in response.context["problems"]]
    assert "12 s" in page
    assert (
        reverse(f"{URLS}:report", args=[web_shop.pk])
        in client.get(url("edit", web_shop)).content.decode()
    )


def test_synchronise_now_runs_the_source_and_says_so(client, baker, web_shop):
    admin_login(client, baker)

    response = client.post(url("sync", web_shop), follow=True)

    assert response.status_code == 200
    assert web_shop.runs.filter(manual=True).exists()
    assert "The synchronisation" in response.content.decode()


def test_synchronise_now_is_a_post(client, baker, web_shop):
    admin_login(client, baker)

    assert client.get(url("sync", web_shop)).status_code == 405
    assert not web_shop.runs.exists()


# Adopting a product typed by hand


@pytest.fixture
def typed_by_hand(bakery):
    return builders.product(bakery, "Baguette tradition", sku="BAG-1")


def candidate_run(src, product, key="shopify-42"):
    return finished_run(
        src,
        problems=[
            {
                "where": "produit BAG-1",
                "reason": "Same reference as a product you typed.",
                "adopt": {"product": product.pk, "key": key},
            }
        ],
    )


def test_confirming_a_candidate_gives_the_product_to_the_source(
    client, baker, web_shop, typed_by_hand
):
    candidate_run(web_shop, typed_by_hand)
    admin_login(client, baker)
    page = client.get(url("report", web_shop)).content.decode()
    assert "Baguette tradition" in page

    response = client.post(url("adopt", web_shop), {"product": typed_by_hand.pk})

    assert response.status_code == 302
    typed_by_hand.refresh_from_db()
    assert typed_by_hand.source_id == web_shop.pk
    assert typed_by_hand.source_key == "shopify-42"
    assert typed_by_hand.detached_from_source is False


def test_only_a_candidate_of_the_latest_run_can_be_confirmed(
    client, baker, web_shop, typed_by_hand, bakery
):
    other = builders.product(bakery, "Croissant", sku="CR-1")
    candidate_run(web_shop, typed_by_hand)
    admin_login(client, baker)

    response = client.post(url("adopt", web_shop), {"product": other.pk})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.source_id is None


def test_another_shops_product_named_as_a_candidate_is_never_adopted(
    client, baker, web_shop, flower_shop
):
    theirs = builders.product(flower_shop, "Bouquet", sku="BAG-1")
    candidate_run(web_shop, theirs)
    admin_login(client, baker)

    assert theirs.name not in client.get(url("report", web_shop)).content.decode()
    response = client.post(url("adopt", web_shop), {"product": theirs.pk})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.source_id is None


def test_a_product_another_source_manages_is_not_a_candidate(
    client, baker, web_shop, bakery, typed_by_hand
):
    elsewhere = source(bakery, "Autre source")
    Product.objects.filter(pk=typed_by_hand.pk).update(source=elsewhere, source_key="x")
    candidate_run(web_shop, typed_by_hand)
    admin_login(client, baker)

    response = client.post(url("adopt", web_shop), {"product": typed_by_hand.pk})

    assert response.status_code == 404
    typed_by_hand.refresh_from_db()
    assert typed_by_hand.source_id == elsewhere.pk


def test_a_key_already_taken_is_refused_with_a_message(
    client, baker, web_shop, bakery, typed_by_hand
):
    builders.product(bakery, "Baguette (source)", source=web_shop, source_key="shopify-42")
    candidate_run(web_shop, typed_by_hand)
    admin_login(client, baker)

    response = client.post(url("adopt", web_shop), {"product": typed_by_hand.pk}, follow=True)

    assert "Another product already comes from this item" in response.content.decode()
    typed_by_hand.refresh_from_db()
    assert typed_by_hand.source_id is None


def test_another_merchant_cannot_confirm_on_a_source_it_does_not_own(
    client, florist, web_shop, typed_by_hand
):
    candidate_run(web_shop, typed_by_hand)
    admin_login(client, florist)

    response = client.post(url("adopt", web_shop), {"product": typed_by_hand.pk})

    assert response.status_code == 404
    typed_by_hand.refresh_from_db()
    assert typed_by_hand.source_id is None


# The category mapping


def test_the_merchant_maps_the_sources_categories_to_the_portals(client, baker, web_shop):
    breads = builders.product_category("Pains")
    SourceCategory.objects.create(source=web_shop, name="Viennoiseries")
    SourceCategory.objects.create(source=web_shop, name="Pains spéciaux")
    admin_login(client, baker)
    report = client.get(url("report", web_shop))
    data = form_data(report, "category-mapping")
    assert data["mapping-1-category"] == ""  # by name: the second is "Viennoiseries"
    data["mapping-1-category"] = str(breads.pk)

    response = client.post(url("report", web_shop), data)

    assert response.status_code == 302
    mapped = dict(web_shop.category_mappings.values_list("name", "category"))
    assert mapped == {"Pains spéciaux": None, "Viennoiseries": breads.pk}


def test_the_mapping_cannot_reach_another_sources_categories(client, baker, web_shop, flower_feed):
    breads = builders.product_category("Pains")
    theirs = SourceCategory.objects.create(source=flower_feed, name="Roses")
    admin_login(client, baker)

    response = client.post(
        url("report", web_shop),
        {
            "mapping-TOTAL_FORMS": "1",
            "mapping-INITIAL_FORMS": "1",
            "mapping-MIN_NUM_FORMS": "0",
            "mapping-MAX_NUM_FORMS": "1000",
            "mapping-0-id": str(theirs.pk),
            "mapping-0-category": str(breads.pk),
        },
    )

    assert response.status_code in (302, 400)
    theirs.refresh_from_db()
    assert theirs.category_id is None
    assert not web_shop.category_mappings.exists()
