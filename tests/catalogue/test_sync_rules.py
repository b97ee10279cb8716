"""The sync's rules, from items as a format reads them: matching, what is written, what is
never touched, the safety valve, the lock, the retries and the alert.

The same rules over HTTP, from a real server on loopback, are in test_sync.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import sync
from catalogue.fetching import HTTPStatusError
from catalogue.items import Item
from catalogue.models import CatalogueSource, RunStatus, SourceCategory, SyncRun
from notifications.models import Notification
from products.models import Availability, Product

from .. import builders, timetravel


def item(key, name=None, price="2.50", **fields):
    return Item(
        source_key=str(key),
        where=f"produit {key}",
        name=name or f"Produit {key}",
        price=Decimal(price),
        **fields,
    )


@pytest.fixture
def source(bakery):
    return CatalogueSource.objects.create(
        shop=bakery, kind="shopify", url="https://boulangerie.example", name="Ma boutique"
    )


def synced(source):
    return Product.objects.filter(source=source).order_by("source_key")


def test_new_items_become_products_of_the_shop_managed_by_the_source(source):
    items = [
        item(1, "Tarte aux pommes", "12.50", former_price=Decimal("14"), sku="TAR-1"),
        item(2, "Éclair ☕", "2", availability="out_of_stock", brand="Maison Dupont"),
    ]

    outcome = sync.apply_items(source, items)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0)
    tart, eclair = synced(source)
    assert (tart.name, tart.price, tart.former_price, tart.sku) == (
        "Tarte aux pommes",
        Decimal("12.50"),
        Decimal("14.00"),
        "TAR-1",
    )
    assert tart.shop_id == source.shop_id and tart.is_synced and tart.slug == "tarte-aux-pommes"
    assert (eclair.availability, eclair.brand) == (Availability.OUT_OF_STOCK, "Maison Dupont")


def test_a_second_sync_with_no_change_writes_no_product_row(source):
    items = [item(number) for number in range(30)]
    sync.apply_items(source, items)
    before = dict(synced(source).values_list("pk", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        outcome = sync.apply_items(source, items)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 30)
    assert dict(synced(source).values_list("pk", "updated_at")) == before
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not [sql for sql in writes if "products_product" in sql]


def test_a_change_at_the_source_updates_the_managed_fields_and_keeps_the_merchants(source):
    vegetables = builders.product_category("Légumes")
    sync.apply_items(source, [item(1, "Tarte", "12.50")])
    tart = synced(source).get()
    tart.unit_label, tart.category, tart.is_featured = "la part", vegetables, True
    tart.save()

    outcome = sync.apply_items(source, [item(1, "Tarte fine", "13.00", availability="limited")])

    tart.refresh_from_db()
    assert outcome.updated == 1
    assert (tart.name, tart.price, tart.availability) == ("Tarte fine", Decimal("13.00"), "limited")
    assert (tart.unit_label, tart.category, tart.is_featured) == ("la part", vegetables, True)


def test_a_product_gone_from_the_source_is_hidden_not_deleted_and_comes_back(source):
    sync.apply_items(source, [item(number) for number in range(4)])

    outcome = sync.apply_items(source, [item(number) for number in range(3)])

    gone = synced(source).get(source_key="3")
    assert outcome.hidden == 1
    assert (gone.is_active, gone.hidden_by_source) == (False, True)

    sync.apply_items(source, [item(number) for number in range(4)])

    gone.refresh_from_db()
    assert (gone.is_active, gone.hidden_by_source) == (True, False)


def test_a_product_the_merchant_hid_stays_hidden(source):
    sync.apply_items(source, [item(1), item(2)])
    synced(source).filter(source_key="1").update(is_active=False)

    sync.apply_items(source, [item(1, price="3.00"), item(2)])

    assert synced(source).get(source_key="1").is_active is False


def test_products_typed_by_hand_survive_every_sync(source, bakery):
    by_hand = builders.product(bakery, "Baguette", price=Decimal("1.20"))
    same_name = builders.product(bakery, "Produit 1", price=Decimal("9.99"))

    sync.apply_items(source, [item(1), item(2)])
    sync.apply_items(source, [item(2, price="3.00")])  # would hide one of two: the valve
    sync.apply_items(source, [item(2, price="3.00"), item(3)])

    for product in (by_hand, same_name):
        fresh = Product.objects.get(pk=product.pk)
        assert (fresh.name, fresh.price, fresh.is_active, fresh.source) == (
            product.name,
            product.price,
            True,
            None,
        )


def test_a_product_typed_by_hand_with_the_same_reference_waits_for_the_merchant(source, bakery):
    by_hand = builders.product(bakery, "Pain de seigle", sku="SEI-1", price=Decimal("4.00"))

    outcome = sync.apply_items(source, [item(7, "Seigle 500 g", "4.20", sku="SEI-1"), item(8)])

    (problem,) = outcome.problems
    assert problem["adopt"] == {"product": by_hand.pk, "key": "7"}
    assert "SEI-1" in problem["reason"]
    by_hand.refresh_from_db()
    assert (by_hand.name, by_hand.price, by_hand.source) == (
        "Pain de seigle",
        Decimal("4.00"),
        None,
    )
    assert not Product.objects.filter(sku="SEI-1").exclude(pk=by_hand.pk).exists()

    # Once confirmed (the source's page), the source manages it.
    Product.objects.filter(pk=by_hand.pk).update(source=source, source_key="7")
    sync.apply_items(source, [item(7, "Seigle 500 g", "4.20", sku="SEI-1"), item(8)])

    by_hand.refresh_from_db()
    assert (by_hand.name, by_hand.price) == ("Seigle 500 g", Decimal("4.20"))


def test_a_detached_product_is_left_as_the_merchant_made_it(source):
    sync.apply_items(source, [item(1, "Tarte"), item(2)])
    synced(source).filter(source_key="1").update(detached_from_source=True, name="Ma tarte")

    outcome = sync.apply_items(source, [item(1, "Tarte", "99.00"), item(2)])

    assert synced(source).get(source_key="1").name == "Ma tarte"
    assert synced(source).get(source_key="1").price == Decimal("2.50")
    assert outcome.hidden == 0 and outcome.created == 0


def test_a_product_whose_item_turns_invalid_stays_as_it_was_not_hidden(source):
    sync.apply_items(source, [item(1, "Tarte", "4.00"), item(2)])
    broken = item(1, "Tarte", "4.00")
    broken.price = None

    outcome = sync.apply_items(source, [broken, item(2)])

    tart = synced(source).get(source_key="1")
    assert (tart.is_active, tart.price, outcome.hidden, outcome.skipped) == (
        True,
        Decimal("4.00"),
        0,
        1,
    )


def test_a_product_moved_to_another_shop_is_left_there_and_reported(source, flower_shop):
    sync.apply_items(source, [item(1), item(2)])
    synced(source).filter(source_key="1").update(shop=flower_shop)

    outcome = sync.apply_items(source, [item(1, price="9.00"), item(2)])

    assert Product.objects.get(source_key="1").price == Decimal("2.50")
    assert outcome.problems[0]["where"] == "produit 1" and outcome.created == 0


def test_items_turned_into_drafts_count_toward_the_safety_valve(source):
    sync.apply_items(source, [item(number) for number in range(4)])

    with pytest.raises(sync.SafetyValve):
        sync.apply_items(source, [item(number, is_active=number == 0) for number in range(4)])

    assert synced(source).filter(is_active=True).count() == 4


def test_invalid_items_are_skipped_with_their_reason_and_the_valid_ones_written(source):
    broken = item(2, "Sans prix")
    broken.price = None
    items = [item(1), broken, item(3, price="-4"), item(4, name=" ", price="1"), item(5)]
    items.append(Item(source_key="6", where="produit 6", name="Lot", errors=["Devise USD."]))

    outcome = sync.apply_items(source, items)

    assert sorted(synced(source).values_list("source_key", flat=True)) == ["1", "5"]
    assert outcome.skipped == 4
    reasons = {problem["where"]: problem["reason"] for problem in outcome.problems}
    assert set(reasons) == {"produit 2", "produit 3", "produit 4", "produit 6"}
    assert reasons["produit 6"].startswith("Devise USD.")  # the format's reason first


def test_an_item_given_twice_is_written_once(source):
    outcome = sync.apply_items(source, [item(1, "Tarte"), item(1, "Autre tarte")])

    assert synced(source).get().name == "Tarte"
    assert outcome.problems[0]["where"] == "produit 1" and outcome.skipped == 1


def test_the_safety_valve_stops_a_run_that_would_hide_most_products(source):
    sync.apply_items(source, [item(number) for number in range(10)])

    with pytest.raises(sync.SafetyValve):
        sync.apply_items(source, [item(number) for number in range(4)])

    assert synced(source).filter(is_active=True).count() == 10
    # Half is allowed: a shop may sell half of its stock out of season.
    assert sync.apply_items(source, [item(number) for number in range(5)]).hidden == 5


def test_the_safety_valve_stops_a_run_where_no_item_is_valid(source):
    sync.apply_items(source, [item(1)])
    broken = [item(number) for number in range(2)]
    for each in broken:
        each.price = None

    with pytest.raises(sync.SafetyValve):
        sync.apply_items(source, broken)

    assert synced(source).get().is_active


def test_categories_of_the_source_are_listed_and_mapped_for_new_products(source):
    breads = builders.product_category("Pains")
    sync.apply_items(source, [item(1, categories=["Viennoiserie"]), item(2, categories=["Pain"])])

    assert set(source.category_mappings.values_list("name", flat=True)) == {"Viennoiserie", "Pain"}
    assert not synced(source).exclude(category=None).exists()  # unmapped: none

    SourceCategory.objects.filter(source=source, name="Pain").update(category=breads)
    sync.apply_items(source, [item(1, categories=["Viennoiserie"]), item(2, categories=["Pain"])])
    sync.apply_items(source, [item(3, categories=["Pain"]), item(1), item(2)])

    assert list(synced(source).exclude(category=None).values_list("source_key", flat=True)) == [
        "2",
        "3",
    ]


def test_a_product_back_in_stock_says_since_when(source):
    sync.apply_items(source, [item(1, availability="out_of_stock")])
    assert synced(source).get().restocked_at is None

    sync.apply_items(source, [item(1, availability="in_stock")])

    assert synced(source).get().restocked_at is not None


# The run: lock, record, retries, alert


def test_a_running_source_is_not_run_twice(source):
    CatalogueSource.objects.filter(pk=source.pk).update(running_since=timezone.now())

    assert sync.run(source) is None
    assert not SyncRun.objects.exists()


def test_a_run_that_died_frees_its_source_after_the_lease(source, monkeypatch):
    monkeypatch.setattr(sync, "synchronise", lambda source: sync.Outcome(created=1))
    started = timezone.now() - sync.RUN_LEASE - timedelta(minutes=1)
    CatalogueSource.objects.filter(pk=source.pk).update(running_since=started)

    sync_run = sync.run(source)

    assert sync_run.status == RunStatus.SUCCESS and sync_run.created == 1
    source.refresh_from_db()
    assert source.running_since is None and source.last_success_at is not None


def test_failed_runs_retry_sooner_then_alert_the_merchant_once(source, monkeypatch):
    def failing(source):
        raise sync.SafetyValve("Pas de produit.")

    monkeypatch.setattr(sync, "synchronise", failing)
    delays = []
    for _attempt in range(4):
        sync_run = sync.run(source)
        source.refresh_from_db()
        delays.append(source.next_run_at - sync_run.finished_at)

    assert sync_run.status == RunStatus.STOPPED and sync_run.message == "Pas de produit."
    assert source.failures_in_row == 4 and source.is_broken
    assert delays[0] < delays[1] < delays[2] <= timedelta(hours=source.interval_hours)
    (alert,) = Notification.objects.filter(template="catalogue/source_broken")
    assert alert.to == source.shop.order_email
    assert alert.context["admin_url"].endswith(f"/report/{source.pk}/")

    monkeypatch.setattr(sync, "synchronise", lambda source: sync.Outcome())
    sync.run(source)
    source.refresh_from_db()
    assert (source.failures_in_row, source.alerted_at) == (0, None)
    assert source.next_run_at > timezone.now() + timedelta(hours=5)


def test_a_source_asking_to_wait_for_ever_waits_a_week_and_others_still_run(
    source, bakery, monkeypatch
):
    def too_busy(source):
        raise HTTPStatusError(status=429, retry_after=10**15)

    monkeypatch.setattr(sync, "synchronise", too_busy)
    other = CatalogueSource.objects.create(
        shop=bakery,
        kind="csv",
        url="https://x.example/p.csv",
        next_run_at=timezone.now() + timedelta(seconds=1),
    )

    with timetravel.travel(timezone.now() + timedelta(minutes=1)):
        runs = sync.run_due()

    assert [sync_run.source_id for sync_run in runs] == [source.pk, other.pk]
    source.refresh_from_db()
    assert source.next_run_at - runs[0].finished_at == sync.LONGEST_WAIT
    assert source.running_since is None


def test_due_sources_run_paused_ones_wait(source, bakery, monkeypatch):
    monkeypatch.setattr(sync, "synchronise", lambda source: sync.Outcome())
    paused = CatalogueSource.objects.create(
        shop=bakery, kind="csv", url="https://x.example/p.csv", is_active=False
    )
    later = CatalogueSource.objects.create(
        shop=bakery,
        kind="csv",
        url="https://x.example/l.csv",
        next_run_at=timezone.now() + timedelta(hours=1),
    )

    runs = sync.run_due()

    assert [sync_run.source_id for sync_run in runs] == [source.pk]
    assert not SyncRun.objects.filter(source__in=[paused, later]).exists()
