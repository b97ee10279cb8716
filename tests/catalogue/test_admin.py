"""Catalogue sources in the admin: a merchant's own only, their runs, and what a source
manages on its products."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from catalogue.models import CatalogueSource, RunStatus, SourceCategory, SyncRun
from merchants.access import MERCHANTS_GROUP
from merchants.models import ShopMembership
from merchants.ownership import CITY_EDITORS_GROUP
from products.models import Product

from .. import builders
from ..builders import FormFields, admin_login
from ..test_query_budgets import count_queries

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
    finished = timezone.now() - ago
    return SyncRun.objects.create(
        source=src,
        started_at=finished - timedelta(seconds=12),
        finished_at=finished,
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


SOURCE_PERMISSIONS = {
    "add_cataloguesource",
    "change_cataloguesource",
    "delete_cataloguesource",
    "view_cataloguesource",
}


def group_holds_the_source_permissions(name):
    held = Group.objects.get(name=name).permissions.filter(content_type__app_label="catalogue")
    return SOURCE_PERMISSIONS <= set(held.values_list("codename", flat=True))


def test_a_merchant_lists_its_own_sources_only(client, baker, web_shop, flower_feed):
    # Its permissions are the "Merchants" group's only (merchants/access.py).
    assert not baker.user_permissions.filter(content_type__app_label="catalogue").exists()
    assert group_holds_the_source_permissions(MERCHANTS_GROUP)
    admin_login(client, baker)

    page = client.get(LIST).content.decode()

    assert "Boutique du boulanger" in page
    assert "Flux des fleurs" not in page


def test_the_city_editor_lists_every_shops_sources(client, city_editor, web_shop, flower_feed):
    assert group_holds_the_source_permissions(CITY_EDITORS_GROUP)
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


def test_a_merchant_of_two_shops_chooses_among_its_own_only(client, baker, bakery, flower_shop):
    second = builders.shop("Boulangerie du Marché")
    ShopMembership.objects.create(user=baker, shop=second)
    admin_login(client, baker)
    fields = {"kind": "csv", "url": "https://pains.example/c.csv", "interval_hours": "6"}

    choices = client.get(ADD).context["form"].fields["shop"].queryset
    forged = client.post(ADD, {**fields, "shop": flower_shop.pk, "name": "Volée"})
    chosen = client.post(ADD, {**fields, "shop": second.pk, "name": "Marché"})

    assert set(choices) == {bakery, second}
    assert list(forged.context["form"].errors) == ["shop"]
    assert chosen.status_code == 302
    assert CatalogueSource.objects.get().shop_id == second.pk


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
    assert url("edit", web_shop) in page and "Synchronisation report" in page
    assert (
        reverse(f"{URLS}:report", args=[web_shop.pk])
        in client.get(url("edit", web_shop)).content.decode()
    )


def test_synchronise_now_runs_the_source_and_says_how_it_went(client, baker, bakery):
    # Nothing listens there, and the fetcher refuses loopback unless told: the run fails
    # without any traffic beyond this machine.
    unreachable = source(bakery, "Boutique injoignable", url="http://127.0.0.1:9/")
    admin_login(client, baker)

    response = client.post(url("sync", unreachable), follow=True)

    assert response.status_code == 200
    run = unreachable.runs.get()
    assert run.manual and run.status == RunStatus.FAILED
    assert "The synchronisation stopped, nothing was changed:" in response.content.decode()
    assert escape(run.message) in response.content.decode()


# A Shopify shop of one product, without photos (nothing to fetch beyond the server).
LEVAIN = Path(__file__).parent / "payloads" / "shopify_one_product.json"


def test_synchronise_now_gives_the_runs_figures_and_the_panel_shows_it(
    client, baker, bakery, catalogue_server
):
    catalogue_server.route(
        "/products.json",
        body=LEVAIN.read_bytes(),
        headers={"Content-Type": "application/json"},
    )
    shop = source(bakery, "Boutique Shopify", url=catalogue_server.url("/"))
    admin_login(client, baker)

    response = client.post(url("sync", shop), follow=True)

    page = response.content.decode()
    assert (
        "The synchronisation is finished: 1 created, 0 updated, 0 hidden, 0 unchanged, "
        "0 skipped." in page
    )
    assert bakery.products.get(source=shop).name == "Pain au levain"
    assert [run.created for run in response.context["runs"]] == [1]
    assert "Catalogue synchronised" in client.get(DASHBOARD).content.decode()


def test_synchronise_now_says_when_another_run_holds_the_source(client, baker, web_shop):
    CatalogueSource.objects.filter(pk=web_shop.pk).update(running_since=timezone.now())
    admin_login(client, baker)

    response = client.post(url("sync", web_shop), follow=True)

    assert "This source is being synchronised already" in response.content.decode()
    assert not web_shop.runs.exists()


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


# A product the source manages


@pytest.fixture
def synced(bakery, web_shop):
    CatalogueSource.objects.filter(pk=web_shop.pk).update(
        last_success_at=timezone.now() - timedelta(hours=2)
    )
    category = builders.product_category("Pains")
    photo = builders.make_image("Baguette")
    photo.collection = bakery.access.collection  # a photo the source downloaded for the shop
    photo.save()
    return builders.product(
        bakery,
        "Baguette de la source",
        price=Decimal("1.30"),
        source=web_shop,
        source_key="shopify-1",
        category=category,
        sku="BAG-S",
        image=photo,
    )


def edit_form(client, product):
    response = client.get(reverse("wagtailsnippets_products_product:edit", args=[product.pk]))
    assert response.status_code == 200
    return response, form_data(response, "w-editor-form")


def test_a_synced_products_form_shows_the_sources_fields_read_only(client, baker, synced, bakery):
    by_hand = builders.product(bakery, "Pain maison")
    admin_login(client, baker)

    response, data = edit_form(client, synced)
    by_hand_response, by_hand_data = edit_form(client, by_hand)

    page = response.content.decode()
    assert "Managed by Boutique du boulanger — synchronised 2\xa0hours ago." in page
    assert "Detach from the source" in page
    assert {"name", "price", "availability", "description", "former_price"}.isdisjoint(data)
    assert {"category", "unit_label", "sku", "is_featured"} <= set(response.context["form"].fields)
    assert "images-TOTAL_FORMS" not in data
    # A product typed by hand keeps its whole form.
    assert {"name", "price", "availability", "images-TOTAL_FORMS"} <= set(by_hand_data)
    assert "Detach from the source" not in by_hand_response.content.decode()


def test_a_posted_value_of_a_managed_field_is_ignored_and_the_others_saved(client, baker, synced):
    admin_login(client, baker)
    _response, data = edit_form(client, synced)
    cakes = builders.product_category("Gâteaux")
    data.update(
        {
            "name": "Renommée à la main",
            "price": "9.99",
            "availability": "out_of_stock",
            "category": str(cakes.pk),
            "unit_label": "la pièce",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "1",
            "images-0-DELETE": "on",
        }
    )

    response = client.post(reverse("wagtailsnippets_products_product:edit", args=[synced.pk]), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    synced.refresh_from_db()
    assert (synced.name, synced.price, synced.availability) == (
        "Baguette de la source",
        Decimal("1.30"),
        "in_stock",
    )
    assert (synced.category, synced.unit_label) == (cakes, "la pièce")
    assert synced.images.count() == 1


def test_detaching_makes_the_fields_editable_again(client, baker, synced):
    admin_login(client, baker)
    url = reverse("wagtailsnippets_products_product:detach", args=[synced.pk])

    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)

    assert "the source&#x27;s changes are no longer applied" in response.content.decode()
    synced.refresh_from_db()
    assert synced.detached_from_source is True
    assert synced.source_id is not None
    _response, data = edit_form(client, synced)
    assert {"name", "price", "availability", "images-TOTAL_FORMS"} <= set(data)


def test_another_merchant_cannot_detach_a_product(client, florist, synced):
    admin_login(client, florist)

    response = client.post(reverse("wagtailsnippets_products_product:detach", args=[synced.pk]))

    assert response.status_code == 404
    synced.refresh_from_db()
    assert synced.detached_from_source is False


# The dashboard's quick buttons and the bulk actions


def test_the_dashboard_says_the_source_manages_a_synced_products_stock(
    client, baker, synced, bakery
):
    by_hand = builders.product(bakery, "Pain maison")
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert "Your catalogue source manages its stock and price." in page
    assert reverse("merchants_product_stock", args=[synced.pk]) not in page
    assert reverse("merchants_product_price", args=[synced.pk]) not in page
    assert reverse("merchants_product_stock", args=[by_hand.pk]) in page


@pytest.mark.parametrize(
    "name,data",
    [
        ("merchants_product_stock", {"availability": "out_of_stock"}),
        ("merchants_product_price", {"price": "2.00"}),
    ],
)
def test_the_quick_actions_refuse_a_synced_product(client, baker, synced, name, data):
    admin_login(client, baker)

    response = client.post(reverse(name, args=[synced.pk]), data, follow=True)

    assert "Boutique du boulanger manages the stock and price of" in response.content.decode()
    synced.refresh_from_db()
    assert (synced.price, synced.availability) == (Decimal("1.30"), "in_stock")


@pytest.mark.parametrize("action", ["out_of_stock", "in_stock"])
def test_the_stock_bulk_actions_leave_synced_products_alone(client, baker, synced, bakery, action):
    by_hand = builders.product(bakery, "Pain maison", availability="limited")
    url = reverse("wagtail_bulk_action", args=["products", "product", action])
    url += f"?id={synced.pk}&id={by_hand.pk}"
    Product.objects.filter(pk=synced.pk).update(availability="limited")
    admin_login(client, baker)

    confirm = client.get(url).content.decode()
    client.post(url, {})

    assert "their catalogue source manages this" in confirm
    synced.refresh_from_db()
    by_hand.refresh_from_db()
    assert synced.availability == "limited"
    assert by_hand.availability == action


def test_hiding_a_synced_product_is_still_the_merchants_with_the_stock_left_to_the_source(
    client, baker, synced
):
    admin_login(client, baker)

    for action in ("hide", "out_of_stock"):
        url = reverse("wagtail_bulk_action", args=["products", "product", action])
        client.post(f"{url}?id={synced.pk}", {})

    synced.refresh_from_db()
    assert (synced.is_active, synced.availability) == (False, "in_stock")


def test_a_file_import_cannot_change_a_synced_product(client, baker, synced):
    admin_login(client, baker)
    data = "name;price;sku\nBaguette moins chère;0,90;BAG-S\nPain de mie;2,10;MIE-1\n"

    response = client.post(
        reverse("products_import"), {"file": SimpleUploadedFile("pains.csv", data.encode())}
    )

    assert "Baguette de la source comes from your catalogue source" in response.content.decode()
    assert response.context["token"] == ""  # nothing to confirm
    synced.refresh_from_db()
    assert (synced.name, synced.price) == ("Baguette de la source", Decimal("1.30"))
    assert not synced.shop.products.filter(sku="MIE-1").exists()


# The merchant's panel on the admin home


def test_the_panel_says_when_each_source_last_synchronised(
    client, baker, city_editor, web_shop, flower_feed
):
    finished_run(web_shop, ago=timedelta(hours=5))
    finished_run(web_shop, ago=timedelta(hours=2))
    finished_run(flower_feed, ago=timedelta(minutes=5))
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert "Boutique du boulanger" in page
    assert "Catalogue synchronised 2\xa0hours ago" in page
    assert "Flux des fleurs" not in page
    # The city editors manage every shop from the whole admin, not from panels.
    admin_login(client, city_editor)
    assert "Catalogue synchronised" not in client.get(DASHBOARD).content.decode()


def test_the_panel_warns_when_the_latest_run_failed_or_was_stopped(client, baker, bakery):
    failing = source(bakery, "Boutique en panne")
    finished_run(failing, ago=timedelta(hours=3))
    finished_run(failing, ago=timedelta(hours=1), status=RunStatus.FAILED, message="Erreur 500")
    stopped = source(bakery, "Boutique vide")
    finished_run(stopped, status=RunStatus.STOPPED, message="La réponse est vide.")
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert "The latest synchronisation failed: Erreur 500" in page
    assert "Catalogue synchronised 3\xa0hours ago" in page
    assert "stopped by the safety valve, nothing was changed: La réponse est vide." in page


def test_the_panel_says_a_source_is_broken_after_three_failures(client, baker, web_shop):
    CatalogueSource.objects.filter(pk=web_shop.pk).update(failures_in_row=3)
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert "The last 3 runs failed: the source is broken" in page


def test_the_panels_queries_do_not_grow_with_sources_and_runs(client, baker, bakery, web_shop):
    finished_run(web_shop)
    admin_login(client, baker)

    few = count_queries(client, DASHBOARD)
    for number in range(6):
        more = source(bakery, f"Source {number}")
        finished_run(more, status=RunStatus.FAILED, message="Erreur")
        finished_run(more, ago=timedelta(hours=number + 3))
    assert count_queries(client, DASHBOARD) == few
    assert client.get(DASHBOARD).content.decode().count("The latest synchronisation failed") == 6


# What residents and the city see


def test_a_synced_products_page_says_when_its_stock_was_confirmed(client, synced, bakery):
    by_hand = builders.product(bakery, "Pain maison")

    page = client.get(synced.url).content.decode()
    other = client.get(by_hand.url).content.decode()

    assert "Stock confirmé il y a 2\xa0heures" in page
    assert "Stock confirmé" not in other
    Product.objects.filter(pk=synced.pk).update(detached_from_source=True)
    assert "Stock confirmé" not in client.get(synced.url).content.decode()


def test_the_citys_shops_report_marks_a_shop_with_a_broken_source(
    client, city_editor, web_shop, flower_feed
):
    CatalogueSource.objects.filter(pk=web_shop.pk).update(failures_in_row=3)
    CatalogueSource.objects.filter(pk=flower_feed.pk).update(failures_in_row=2)
    admin_login(client, city_editor)

    response = client.get(reverse("insights_reports:shops"))
    export = client.get(reverse("insights_reports:shops") + "?export=csv")

    rows = {shop.title: shop.has_broken_source for shop in response.context["object_list"]}
    assert rows == {"Boulangerie Dupont": True, "Fleurs de Lys": False}
    assert response.content.decode().count("Catalogue source broken") == 1
    lines = b"".join(export.streaming_content).decode() if export.streaming else ""
    lines = lines or export.content.decode()
    assert "Catalogue source" in lines.splitlines()[0]
    assert any(
        line.startswith("Boulangerie Dupont") and "Broken" in line for line in lines.splitlines()
    )


# Sources and their products stay in their shop


def test_a_source_stays_with_its_shop_when_the_city_edits_it(client, city_editor, web_shop):
    admin_login(client, city_editor)
    other = builders.shop("Boulangerie du Marché")
    data = {
        "shop": other.pk,
        "kind": "shopify",
        "url": "https://autre.example",
        "name": "Renommée",
        "interval_hours": "12",
        "is_active": "on",
    }

    response = client.post(url("edit", web_shop), data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    web_shop.refresh_from_db()
    assert (web_shop.shop_id, web_shop.name, web_shop.interval_hours) == (
        web_shop.shop_id,
        "Renommée",
        12,
    )
    assert web_shop.shop.title == "Boulangerie Dupont"


def test_a_synced_product_stays_in_its_sources_shop(client, baker, bakery, synced):
    second = builders.shop("Boulangerie du Marché")
    ShopMembership.objects.create(user=baker, shop=second)
    admin_login(client, baker)
    _response, data = edit_form(client, synced)

    response = client.post(
        reverse("wagtailsnippets_products_product:edit", args=[synced.pk]),
        {**data, "shop": second.pk, "unit_label": "la pièce"},
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    synced.refresh_from_db()
    assert (synced.shop_id, synced.unit_label) == (bakery.pk, "la pièce")


def test_duplicating_a_synced_product_makes_a_product_typed_by_hand(client, baker, synced):
    admin_login(client, baker)
    copy_url = reverse("wagtailsnippets_products_product:copy", args=[synced.pk])
    data = form_data(client.get(copy_url), "w-editor-form")

    response = client.post(copy_url, {**data, "name": "Baguette maison", "price": "1.50"})

    assert response.status_code == 302, response.content.decode()[-2000:]
    copy = Product.objects.get(name="Baguette maison")
    assert (copy.source, copy.source_key, copy.is_synced) == (None, "", False)
    assert Product.objects.get(pk=synced.pk).source_key == "shopify-1"
