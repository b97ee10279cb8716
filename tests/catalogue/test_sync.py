"""Each kind of source synced from a real HTTP server on loopback (tests/catalogue/servers.py)
answering in the shape of the real service (tests/catalogue/payloads/), and what the run
does when the source misbehaves.

No test sends traffic beyond loopback: every connection to another address fails the test."""

import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from catalogue import sync
from catalogue.models import CatalogueSource, RemoteImage, RunStatus, SyncRun
from products.models import Availability, Product

from .. import builders

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name):
    return (PAYLOADS / name).read_text()


def jpeg(colour=(200, 80, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def source_for(shop, kind, url):
    return CatalogueSource.objects.create(shop=shop, kind=kind, url=url, name="Ma boutique")


def shopify_product(number, price="2.00", image=None):
    return {
        "id": 5_000 + number,
        "title": f"Produit {number}",
        "handle": f"produit-{number}",
        "body_html": "<p>Fait <em>maison</em></p>",
        "published_at": "2026-10-01T09:00:00+02:00",
        "vendor": "Maison Test",
        "product_type": "Pains",
        "tags": [],
        "variants": [
            {
                "id": 9_000 + number,
                "title": "Default Title",
                "option1": "Default Title",
                "sku": f"P-{number}",
                "available": True,
                "price": price,
                "compare_at_price": None,
                "position": 1,
                "product_id": 5_000 + number,
            }
        ],
        "images": [{"id": 1, "position": 1, "src": image}] if image else [],
        "options": [{"name": "Title", "position": 1, "values": ["Default Title"]}],
    }


def test_a_shopify_shop_is_synced_page_by_page_variants_folded(bakery, catalogue_server):
    full_page = {"products": [shopify_product(number) for number in range(250)]}
    pages = {"1": json.dumps(full_page), "2": payload("shopify_products_page2.json")}
    pages["3"] = json.dumps({"products": []})

    def products_json(request):
        return 200, {"Content-Type": "application/json"}, pages[request.query["page"]]

    catalogue_server.route("/products.json", handler=products_json)
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync_run = sync.run(source, manual=True)

    assert sync_run.status == RunStatus.SUCCESS, sync_run.message
    assert (sync_run.created, sync_run.skipped) == (251, 0)
    assert [request.query["page"] for request in catalogue_server.requests] == ["1", "2"]
    roll = bakery.products.get(source_key="7712345678903")
    assert roll.name == "抹茶ロール – Roulé au matcha" and roll.is_synced


def test_shopify_variants_become_one_product_priced_from_the_lowest(bakery, catalogue_server):
    catalogue_server.route("/products.json", body=payload("shopify_products_page1.json"))
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync.run(source)

    products = {product.source_key: product for product in bakery.products.all()}
    assert len(products) == 2
    expected = json.loads(payload("shopify_products_page1.json"))["products"]
    for data in expected:
        product = products[str(data["id"])]
        prices = [Decimal(variant["price"]) for variant in data["variants"]]
        assert product.price == min(prices)
        assert product.from_price == (len(set(prices)) > 1)
        assert product.sku == data["variants"][0]["sku"]
        available = any(variant["available"] for variant in data["variants"])
        assert (product.availability != Availability.OUT_OF_STOCK) == available
        assert "<" not in product.short_description


def test_a_woocommerce_shop_is_synced_through_its_store_api(bakery, catalogue_server):
    pages = {
        "1": payload("woocommerce_products_page1.json"),
        "2": payload("woocommerce_products_page2.json"),
    }

    def store_api(request):
        headers = {"Content-Type": "application/json", "X-WP-Total": "5", "X-WP-TotalPages": "2"}
        return 200, headers, pages[request.query["page"]]

    catalogue_server.route("/wp-json/wc/store/v1/products", handler=store_api)
    source = source_for(bakery, "woocommerce", catalogue_server.url("/"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.SUCCESS, sync_run.message
    items = [*json.loads(pages["1"]), *json.loads(pages["2"])]
    synced = Product.objects.filter(source=source)
    assert sync_run.created + sync_run.skipped == len(items) == 5
    assert synced.count() == sync_run.created >= 3
    honey = synced.get(source_key="412")
    assert honey.name == "Miel de lavande – pot de 500 g"  # entities decoded
    minor = int(items[0]["prices"]["currency_minor_unit"])
    assert honey.price == Decimal(items[0]["prices"]["price"]).scaleb(-minor)


def test_a_google_product_feed_is_synced(bakery, catalogue_server):
    feed = payload("google_feed.rss.xml")
    catalogue_server.route("/flux.xml", body=feed, headers={"Content-Type": "text/xml"})
    source = source_for(bakery, "google_feed", catalogue_server.url("/flux.xml"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.SUCCESS, sync_run.message
    bouquet = bakery.products.get(source_key="BOUQ-01")
    assert (bouquet.price, bouquet.former_price) == (Decimal("34.50"), Decimal("39.90"))
    # A price in dollars is skipped and reported; the variants of one group are one product.
    assert any(problem["where"].find("ORCH-US") >= 0 for problem in sync_run.problems)
    assert not bakery.products.filter(source_key="ORCH-US").exists()
    assert bakery.products.filter(source_key__startswith="TS-VILLE").count() == 1
    assert sync_run.created == bakery.products.count() == 4  # the gift card has no price


def test_an_atom_product_feed_is_synced(bakery, catalogue_server):
    feed = payload("google_feed.atom.xml")
    catalogue_server.route(
        "/flux.atom", body=feed, headers={"Content-Type": "application/atom+xml"}
    )
    source = source_for(bakery, "google_feed", catalogue_server.url("/flux.atom"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.SUCCESS, sync_run.message
    assert sync_run.created == feed.count("<entry>") == bakery.products.count()


def test_a_csv_file_at_an_address_is_synced_in_the_import_format(bakery, catalogue_server):
    catalogue_server.route("/produits.csv", body=(PAYLOADS / "catalogue.csv").read_bytes())
    source = source_for(bakery, "csv", catalogue_server.url("/produits.csv"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.SUCCESS, sync_run.message
    bread = bakery.products.get(sku="PAIN-CAMP")
    assert (bread.price, bread.short_description) == (
        Decimal("3.20"),
        "Levain naturel & farine T80",
    )
    # "deux euros" is no price: skipped, reported with its line, the others written.
    eclair = next(problem for problem in sync_run.problems if "deux euros" in problem["reason"])
    assert eclair["where"].endswith("4")
    assert not bakery.products.filter(name__startswith="Éclair").exists()


def test_a_second_sync_with_no_change_writes_no_product_row(bakery, catalogue_server):
    catalogue_server.route("/products.json", body=payload("shopify_products_page1.json"))
    source = source_for(bakery, "shopify", catalogue_server.url("/"))
    sync.run(source)
    before = dict(bakery.products.values_list("pk", "updated_at"))

    again = sync.run(source, manual=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(bakery.products.values_list("pk", "updated_at")) == before


# The safety valve


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("shopify_password.html", "text/html; charset=utf-8"),
        ('{"errors": "Not Found"}', "application/json"),
        ('{"products": []}', "application/json"),
    ],
    ids=["password-page", "not-a-catalogue", "empty"],
)
def test_a_page_that_is_no_catalogue_stops_the_run_without_writing(
    bakery, catalogue_server, body, content_type
):
    if body.endswith(".html"):
        body = payload(body)
    good = json.dumps({"products": [shopify_product(number) for number in range(3)]})
    catalogue_server.route("/products.json", body=good)
    source = source_for(bakery, "shopify", catalogue_server.url("/"))
    sync.run(source)
    catalogue_server.route("/products.json", body=body, headers={"Content-Type": content_type})

    stopped = sync.run(source, manual=True)

    assert stopped.status == RunStatus.STOPPED and stopped.message
    assert bakery.products.filter(is_active=True, source=source).count() == 3


# When the source misbehaves


def test_too_many_requests_waits_as_long_as_the_source_asks(bakery, catalogue_server):
    catalogue_server.route("/products.json", status=429, headers={"Retry-After": "7200"})
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync_run = sync.run(source)

    source.refresh_from_db()
    assert sync_run.status == RunStatus.FAILED
    assert source.next_run_at - sync_run.finished_at >= timedelta(hours=2)
    assert source.failures_in_row == 1 and not Product.objects.exists()


def test_a_server_error_fails_the_run_and_retries_sooner(bakery, catalogue_server):
    catalogue_server.route("/products.json", status=500, body="<h1>Oops</h1>")
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync_run = sync.run(source)

    source.refresh_from_db()
    assert sync_run.status == RunStatus.FAILED and "500" in sync_run.message
    assert source.next_run_at - sync_run.finished_at == sync.RETRY_DELAYS[0]


def test_a_source_too_slow_fails_the_run(bakery, catalogue_server, settings):
    settings.PORTAL_FETCH_TIMEOUT = 0.3
    catalogue_server.route("/products.json", body='{"products": []}', delay=1.5)
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    assert sync.run(source).status == RunStatus.FAILED


def test_an_oversized_answer_fails_the_run(bakery, catalogue_server, settings):
    settings.PORTAL_FETCH_MAX_BYTES = 10_000
    big = json.dumps({"products": [shopify_product(number) for number in range(100)]})
    catalogue_server.route("/products.json", body=big)
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.FAILED and not Product.objects.exists()


def test_a_redirect_to_a_private_address_is_refused(bakery, catalogue_server):
    # Any connection beyond loopback fails the test (loopback_only): the refusal comes first.
    catalogue_server.route(
        "/products.json",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.FAILED
    assert [request.path.split("?")[0] for request in catalogue_server.requests] == [
        "/products.json"
    ]
    assert not Product.objects.exists()


# Photos


def test_photos_are_downloaded_once_into_the_shops_collection(bakery, catalogue_server):
    catalogue_server.route("/cdn/a.jpg", body=jpeg(), headers={"Content-Type": "image/jpeg"})
    catalogue_server.route("/cdn/copy.jpg", body=jpeg(), headers={"Content-Type": "image/jpeg"})
    catalogue_server.route("/cdn/broken.jpg", body=b"<html>no</html>")
    products = [
        shopify_product(1, image=catalogue_server.url("/cdn/a.jpg")),
        shopify_product(2, image=catalogue_server.url("/cdn/copy.jpg")),
        shopify_product(3, image=catalogue_server.url("/cdn/broken.jpg")),
    ]
    catalogue_server.route("/products.json", body=json.dumps({"products": products}))
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    first = sync.run(source)

    assert first.status == RunStatus.SUCCESS and first.created == 3
    assert first.images == 1  # the copy is the same file: one image
    one, two, three = bakery.products.order_by("source_key")
    assert one.main_image.image == two.main_image.image
    assert one.main_image.image.collection.name == bakery.title
    assert three.main_image is None
    assert any("broken.jpg" in problem["where"] for problem in first.problems)

    downloads = len(catalogue_server.requests)
    again = sync.run(source, manual=True)

    image_requests = [r for r in catalogue_server.requests[downloads:] if "/cdn/" in r.path]
    assert [request.path for request in image_requests] == ["/cdn/broken.jpg"]
    assert (again.images, again.updated) == (0, 0)
    assert (
        get_image_model().objects.count()
        == 1
        == RemoteImage.objects.values("image").distinct().count()
    )


# Never two runs at once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_syncs_of_one_source_started_at_once_give_one_run(bakery, catalogue_server):
    second = []

    def products_json(request):
        # While the first run waits for this answer, a second one is started.
        second.append(sync.run(CatalogueSource.objects.get(), manual=True))
        return 200, {}, json.dumps({"products": [shopify_product(1)]})

    catalogue_server.route("/products.json", handler=products_json)
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    first = sync.run(source, manual=True)

    assert second == [None]
    assert first.status == RunStatus.SUCCESS
    assert SyncRun.objects.count() == 1 and Product.objects.filter(source=source).count() == 1


def test_a_paused_source_still_runs_by_hand_but_not_on_schedule(bakery, catalogue_server):
    catalogue_server.route("/products.json", body=json.dumps({"products": [shopify_product(1)]}))
    source = source_for(bakery, "shopify", catalogue_server.url("/"))
    CatalogueSource.objects.filter(pk=source.pk).update(
        is_active=False, next_run_at=timezone.now() - timedelta(hours=1)
    )

    assert sync.run_due() == []
    assert sync.run(source, manual=True).status == RunStatus.SUCCESS


def test_products_typed_by_hand_survive_a_sync_from_http(bakery, catalogue_server):
    by_hand = builders.product(bakery, "Baguette", price=Decimal("1.20"), sku="BAG")
    catalogue_server.route("/products.json", body=json.dumps({"products": [shopify_product(1)]}))
    source = source_for(bakery, "shopify", catalogue_server.url("/"))

    sync.run(source)
    sync.run(source, manual=True)

    by_hand.refresh_from_db()
    assert (by_hand.name, by_hand.price, by_hand.is_active, by_hand.source) == (
        "Baguette",
        Decimal("1.20"),
        True,
        None,
    )
