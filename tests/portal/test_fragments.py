"""Parts of shared pages kept until the next purge ({% shared_fragment %}): the card lists,
the shop page and the shop index's listing are rendered once, never stale, never anyone's.

The page cache is off here, so that only the parts kept are in play; a write that no
signal announces (plain SQL) shows whether a part was kept or rendered anew.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueSource
from home.models import HomePageFeaturedProduct
from merchants.models import OpeningHours
from products.models import Availability, Product, ProductImage

from .. import builders, timetravel
from ..insights.test_nudges import set_last_update
from ..merchants.test_maps import marker_names
from .test_page_cache import ADD_URL, BROWSER, cached

SEARCH_URL = reverse("search") + "?q=baguette"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition")


def page(url, client=None):
    response = (client or Client(headers={"user-agent": BROWSER})).get(url)
    assert response.status_code == 200
    return response.content.decode()


def rename_unannounced(product, name):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE products_product SET name = %s WHERE id = %s", [name, product.pk])


def rename_shop_unannounced(shop, title):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET title = %s WHERE id = %s", [title, shop.pk])


def hours_table(html):
    return re.search(r'<table class="hours">.*?</table>', html, re.S).group()


def shop_cards(html):
    return re.search(r'<ul class="card-grid" role="list">.*?</ul>', html, re.S).group()


def shop_header(html):
    """The shop page's title, status ("open until…") and share links."""
    return re.search(r'<header class="shop-header">.*?</header>', html, re.S).group()


def card_urls(bakery, home, baguette):
    HomePageFeaturedProduct.objects.create(page=home, product=baguette, sort_order=0)
    return [home.url, bakery.url, SEARCH_URL]


def test_the_product_cards_are_kept_until_a_product_is_saved(bakery, home, baguette):
    urls = card_urls(bakery, home, baguette)
    for url in urls:
        assert "Baguette tradition" in page(url)

    rename_unannounced(baguette, "Baguette oubliée")
    for url in urls:
        assert "Baguette tradition" in page(url), url

    baguette.refresh_from_db()
    baguette.name = "Baguette de campagne"
    baguette.save()
    for url in urls:
        assert "Baguette de campagne" in page(url), url


def test_the_shop_cards_and_hours_are_kept_until_the_shop_changes(bakery, shop_index):
    assert "Boulangerie Dupont" in page(shop_index.url)
    hours = page(bakery.url)

    rename_shop_unannounced(bakery, "Boulangerie oubliée")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE merchants_openinghours SET closes = '23:59' WHERE shop_id = %s", [bakery.pk]
        )
    assert "Boulangerie Dupont" in page(shop_index.url)
    assert "23:59" not in hours_table(page(bakery.url))

    OpeningHours.objects.create(shop=bakery, weekday=6, opens=time(9), closes=time(11, 45))
    assert "11:45" in hours_table(page(bakery.url)) and "11:45" not in hours_table(hours)
    assert "Boulangerie oubliée" in page(shop_index.url)


def test_each_address_and_language_has_its_own_part(bakery, baguette):
    english = Client(headers={"user-agent": BROWSER})
    english.cookies["django_language"] = "en"
    assert 'name="next" value="/commerces/boulangerie-dupont/"' in page(bakery.url)

    rename_unannounced(baguette, "Baguette du jour")
    assert "Baguette du jour" not in page(bakery.url)  # kept
    second_page = page(bakery.url + "?page=2&utm_source=affiche")
    assert "Baguette du jour" in second_page
    assert 'value="/commerces/boulangerie-dupont/?page=2&amp;utm_source=affiche"' in second_page
    in_english = page(bakery.url, english)
    assert "Baguette du jour" in in_english and "Add" in in_english


def tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def resident_with_a_request(product, url):
    """A visitor who added `product` to a request from `url`: a session makes pages theirs."""
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    token = resident.get(reverse("orders:visitor")).json()["csrf_token"]
    resident.post(
        ADD_URL,
        {"product": product.pk, "quantity": 1, "next": url, "csrfmiddlewaretoken": token},
    )
    return resident


def test_a_part_kept_holds_no_visitors_token_and_a_visitors_page_has_its_own(bakery, baguette):
    assert set(tokens(page(bakery.url))) == {""}  # filled by the page's script
    resident = resident_with_a_request(baguette, bakery.url)
    rename_unannounced(baguette, "Baguette du jour")

    # The resident's session makes the page theirs: rendered for them, with their tokens.
    own = page(bakery.url, resident)
    assert "Baguette du jour" in own
    assert tokens(own) and all(tokens(own))
    shared = page(bakery.url)
    assert "Baguette du jour" not in shared  # kept, and kept without the resident's tokens
    assert set(tokens(shared)) == {""}


@pytest.mark.parametrize("part", [shop_cards, shop_header], ids=["index", "shop"])
def test_what_shows_open_until_is_rendered_anew_when_the_shop_closes(bakery, shop_index, part):
    url = shop_index.url if part is shop_cards else bakery.url
    # Monday 14 June 2027, 12:29 in Brussels: the bakery closes at 12:30, opens at 14:00.
    with timetravel.travel("2027-06-14T10:29:00+00:00"):
        before = part(page(url))
        rename_shop_unannounced(bakery, "Boulangerie renommée")
    with timetravel.travel("2027-06-14T10:29:50+00:00"):
        assert part(page(url)) == before  # kept
    with timetravel.travel("2027-06-14T10:30:01+00:00"):
        after = part(page(url))
    assert "Boulangerie renommée" in after
    assert "12:30" in before and "12:30" not in after


def test_a_cached_page_holding_a_kept_part_expires_with_it(bakery, shop_index, settings):
    # The card list is kept at 12:29; the page that reuses it at 12:29:30 is cached, and
    # must be dropped when the card's "open until 12:30" ends, as if rendered in full.
    with timetravel.travel("2027-06-14T10:29:00+00:00"):
        page(shop_index.url)
        rename_shop_unannounced(bakery, "Boulangerie renommée")
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    with timetravel.travel("2027-06-14T10:29:30+00:00"):
        assert "Boulangerie renommée" not in shop_cards(cached(shop_index.url))
    with timetravel.travel("2027-06-14T10:30:01+00:00"):
        assert Client(headers={"user-agent": BROWSER}).get(shop_index.url)["X-Cache"] == "MISS"


def test_the_shops_open_now_are_rendered_anew_when_another_shop_opens(db, shop_index):
    # What the list holds is the view's: its next change (a shop opening) ends the part
    # kept, though no card in it changes then.
    late = builders.shop("Épicerie Tardive", hours=None)
    night = builders.shop("Le Noctambule", hours=None)
    for weekday in range(7):
        OpeningHours.objects.create(shop=late, weekday=weekday, opens=time(8), closes=time(23))
        OpeningHours.objects.create(shop=night, weekday=weekday, opens=time(20), closes=time(2))
    open_now = shop_index.url + "?open_now=on"
    # Monday 14 June 2027, 19:59 in Brussels, then 20:00:01.
    with timetravel.travel("2027-06-14T17:59:00+00:00"):
        assert "Le Noctambule" not in shop_cards(page(open_now))
    with timetravel.travel("2027-06-14T18:00:01+00:00"):
        assert "Le Noctambule" in shop_cards(page(open_now))


# The shop index: its filter form, count, map, cards and pages are one part kept -----------

# What the shop index reads of its shops: the list (its count, its page of shops and their
# details) and the filter's choices.
SHOP_QUERY = re.compile(r'"merchants_(merchantpage|shopcategory|neighbourhood)"')


def listing(html):
    """The shop index's filter form and everything its shops decide."""
    return re.search(r'<div class="listing">.*</main>', html, re.S).group()


def results_count(html):
    return re.search(r'class="results-count" role="status">([^<]*)</p>', html).group(1)


def current_page(html):
    return re.search(r'<span aria-current="page">([^<]*)</span>', html).group(1)


def visit_counting_queries(url, client=None):
    with CaptureQueriesContext(connection) as queries:
        html = page(url, client)
    return html, [query["sql"] for query in queries.captured_queries]


def visit_twice(url, reads, *parts):
    """The first visit of `url` runs a query matching `reads`; the second shows the same
    `parts` (functions of the HTML) without any, in fewer queries. The first visit's HTML."""
    first, first_queries = visit_counting_queries(url)
    assert list(filter(reads.search, first_queries))
    second, second_queries = visit_counting_queries(url)
    for part in parts:
        assert part(second) == part(first)
    assert not list(filter(reads.search, second_queries))
    assert len(second_queries) < len(first_queries)
    return first


@pytest.mark.parametrize(
    "query, shows",
    [
        ("", ["Boulangerie Dupont", "1 / 2"]),
        ("?category=fleuriste", ["Fleurs de Lys", '<option value="fleuriste" selected>']),
        (
            "?open_now=on&service=pickup",
            ['name="open_now" id="id_open_now" checked', 'value="pickup" selected'],
        ),
        # Paginator.get_page: past the last page, the last page; not a number, the first.
        ("?page=99", ["Fleurs de Lys", "2 / 2"]),
        ("?page=abc", ["Boulangerie Dupont", "1 / 2"]),
        # The unknown category is reported next to its field; the service kept applies.
        (
            "?category=disparue&service=pickup&page=2",
            ['class="field__error"', 'value="pickup" selected', "Fleurs de Lys", "2 / 2"],
        ),
    ],
)
def test_a_second_visit_of_the_shop_index_reads_none_of_its_shops(
    bakery, flower_shop, settings, query, shows
):
    settings.PORTAL_SHOPS_PER_PAGE = 1
    url = builders.shop_index().url + query
    first = visit_twice(url, SHOP_QUERY, listing)
    for shown in shows:
        shown = shown.replace(" / ", r"\D+")  # "Page 1 of 2", in the page's language
        assert re.search(shown, listing(first)), shown


def test_the_shop_index_count_and_map_are_kept_until_a_shop_changes(bakery, flower_shop):
    url = builders.shop_index().url
    before = page(url)
    assert results_count(before).startswith("2")
    assert sorted(marker_names(before)) == ["Boulangerie Dupont", "Fleurs de Lys"]

    rename_shop_unannounced(bakery, "Boulangerie oubliée")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET live = FALSE WHERE id = %s", [flower_shop.pk])
    assert listing(page(url)) == listing(before)

    flower_shop.refresh_from_db()
    flower_shop.title = "Fleurs de Mai"
    flower_shop.save_revision().publish()
    after = page(url)
    assert sorted(marker_names(after)) == ["Boulangerie oubliée", "Fleurs de Mai"]
    assert ">Boulangerie oubliée</a>" in after


def test_a_visitor_with_a_session_gets_the_shop_index_fresh_with_its_token(bakery, baguette):
    url = builders.shop_index().url
    assert marker_names(page(url)) == ["Boulangerie Dupont"]
    resident = resident_with_a_request(baguette, url)
    rename_shop_unannounced(bakery, "Boulangerie renommée")

    own = page(url, resident)
    assert marker_names(own) == ["Boulangerie renommée"]
    assert ">Boulangerie renommée</a>" in own
    assert tokens(own) and all(tokens(own))
    shared = page(url)
    assert marker_names(shared) == ["Boulangerie Dupont"]
    assert set(tokens(shared)) == {""}


def card_titles(html):
    return re.findall(r'class="card__link" href="[^"]*">([^<]*)</a>', html)


def recent_shops(html):
    found = re.search(r'<ul class="plain-list recent-shops".*?</ul>', html, re.S)
    return found.group() if found else ""


def test_a_shop_going_stale_sinks_in_the_kept_listing_and_leaves_the_recent_ones(home, settings):
    # Monday 14 June 2027, 12:00 in Brussels; a shop updated 30 days ago less a minute.
    settings.PORTAL_STALE_AFTER_DAYS = 30
    with timetravel.travel("2027-06-14T10:00:00+00:00"):
        fading, lively = builders.shop("Aux Délices"), builders.shop("Zéphyr")
        set_last_update(fading, timezone.now() - timedelta(days=30, minutes=-1))
        set_last_update(lively, timezone.now() - timedelta(days=1))
        assert card_titles(page(builders.shop_index().url)) == ["Aux Délices", "Zéphyr"]
        assert "Aux Délices" in recent_shops(page(home.url))
    with timetravel.travel("2027-06-14T10:01:30+00:00"):
        assert card_titles(page(builders.shop_index().url)) == ["Zéphyr", "Aux Délices"]
        assert "Aux Délices" not in recent_shops(page(home.url))
        assert "Zéphyr" in recent_shops(page(home.url))


# The product page: its sharing card, JSON-LD and body are parts kept ---------------------

# What the product page reads for those parts alone: the photos (and their renditions), the
# shop's hours and closures (its status line).
PRODUCT_BODY_QUERY = re.compile(
    r'"(products_productimage|wagtailimages_rendition|merchants_openinghours|merchants_closure)"'
)


@pytest.fixture
def photographed(bakery):
    product = builders.product(bakery, "Pain aux noix", image=builders.make_image("Noix"))
    ProductImage.objects.create(product=product, image=builders.make_image("Tranche"), alt_text="")
    return product


def product_body(html):
    return re.search(r'<div class="container section" data-track-shop.*</main>', html, re.S).group()


def product_head(html):
    """The sharing card and the JSON-LD."""
    return re.search(r'<meta name="description".*?(?=<link rel="stylesheet")', html, re.S).group()


def test_a_second_visit_of_a_product_reads_only_its_route_and_row(photographed):
    first = visit_twice(photographed.url, PRODUCT_BODY_QUERY, product_body, product_head)
    assert first.count("<li><picture") == 2 and 'property="og:image"' in first


def test_the_product_page_is_kept_until_the_product_is_saved(bakery, baguette):
    before = page(baguette.url)
    rename_unannounced(baguette, "Baguette oubliée")
    kept = page(baguette.url)
    assert product_body(kept) == product_body(before)
    assert product_head(kept) == product_head(before)

    # A stock click saves the product: the page shows it at once, its JSON-LD too.
    Product.objects.filter(pk=baguette.pk).set_availability(Availability.OUT_OF_STOCK)
    after = page(baguette.url)
    assert "<h1>Baguette oubliée</h1>" in after
    assert 'class="availability availability--out_of_stock"' in after
    assert "https://schema.org/OutOfStock" in product_head(after)
    assert 'class="add-to-request' not in after


def test_a_visitor_with_a_session_gets_the_product_page_fresh_with_its_token(bakery, baguette):
    assert set(tokens(page(baguette.url))) == {""}
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    token = resident.get(reverse("orders:visitor")).json()["csrf_token"]
    resident.post(
        ADD_URL,
        {"product": baguette.pk, "quantity": 1, "next": baguette.url, "csrfmiddlewaretoken": token},
    )
    rename_unannounced(baguette, "Baguette du jour")

    own = page(baguette.url, resident)
    assert "<h1>Baguette du jour</h1>" in own
    assert tokens(own) and all(tokens(own))
    shared = page(baguette.url)
    assert "<h1>Baguette tradition</h1>" in shared  # kept, without the resident's token
    assert set(tokens(shared)) == {""}


def test_the_product_page_is_rendered_anew_when_the_shops_status_changes(bakery, baguette):
    # Monday 14 June 2027, 12:29 in Brussels: the bakery closes at 12:30, opens at 14:00.
    with timetravel.travel("2027-06-14T10:29:00+00:00"):
        before = product_body(page(baguette.url))
        rename_unannounced(baguette, "Baguette du jour")
    with timetravel.travel("2027-06-14T10:29:50+00:00"):
        assert product_body(page(baguette.url)) == before  # kept
    with timetravel.travel("2027-06-14T10:30:01+00:00"):
        after = product_body(page(baguette.url))
    assert "<h1>Baguette du jour</h1>" in after
    assert "12:30" in before and "12:30" not in after


def test_the_stock_confirmation_is_rendered_anew_when_its_minutes_change(bakery):
    # Monday 14 June 2027, 10:05 in Brussels: the bakery is open until 12:30.
    source = CatalogueSource.objects.create(
        shop=bakery,
        name="Boutique du boulanger",
        kind="shopify",
        url="https://boutique.example",
        last_success_at=datetime.fromisoformat("2027-06-14T08:00:00+00:00"),
    )
    synced = builders.product(bakery, "Baguette de la source", source=source, source_key="s-1")
    with timetravel.travel("2027-06-14T08:05:10+00:00"):
        assert "5\xa0minutes" in product_body(page(synced.url))
        rename_unannounced(synced, "Baguette du jour")
    with timetravel.travel("2027-06-14T08:05:50+00:00"):
        assert "5\xa0minutes" in product_body(page(synced.url))  # kept
    with timetravel.travel("2027-06-14T08:06:01+00:00"):
        after = product_body(page(synced.url))
    assert "6\xa0minutes" in after and "<h1>Baguette du jour</h1>" in after


# The shop page: its head's description and structured data, and its body, are parts kept --

# What the shop page reads of the shop: its products (their count, their page), categories,
# hours, closures, gallery and images.
SHOP_DETAILS_QUERY = re.compile(
    r'FROM "(products_|wagtailimages_'
    r"|merchants_(openinghours|closure|shopgalleryimage|shopcategory))"
)


def shop_body(html):
    return re.search(
        r'<div class="container section" data-track-shop=.*?</main>', html, re.S
    ).group()


def shop_head(html):
    """The shop's description, canonical link, Open Graph card and structured data."""
    return re.search(r'<meta name="description".*?</script>', html, re.S).group()


@pytest.mark.parametrize(
    "query, shows",
    [
        ("", ["Baguette tradition", "1 / 2"]),
        # Paginator.get_page: past the last page, the last page; not a number, the first.
        ("?page=99", ["Pain de seigle", "2 / 2"]),
        ("?page=abc", ["Baguette tradition", "1 / 2"]),
    ],
)
def test_a_second_visit_of_the_shop_page_reads_nothing_of_the_shop(
    bakery, baguette, monkeypatch, query, shows
):
    monkeypatch.setattr("merchants.models.shops.PRODUCTS_PER_PAGE", 1)
    builders.product(bakery, "Pain de seigle")
    url = bakery.url + query
    first = visit_twice(url, SHOP_DETAILS_QUERY, shop_body, shop_head)
    for shown in shows:
        assert re.search(shown.replace(" / ", r"\D+"), shop_body(first)), shown
    assert "Boulangerie Dupont" in shop_head(first)


def test_the_shop_page_is_kept_until_the_shop_changes(bakery, baguette):
    before = page(bakery.url)
    rename_shop_unannounced(bakery, "Boulangerie oubliée")
    kept = page(bakery.url)
    assert shop_body(kept) == shop_body(before) and shop_head(kept) == shop_head(before)

    bakery.refresh_from_db()
    bakery.title = "Boulangerie Martin"
    bakery.save_revision().publish()
    after = page(bakery.url)
    assert '<h1 class="shop-header__title">Boulangerie Martin</h1>' in shop_body(after)
    assert '<meta property="og:title" content="Boulangerie Martin">' in shop_head(after)
    assert '"name": "Boulangerie Martin"' in shop_head(after)


def test_a_visitor_with_a_session_gets_the_shop_page_fresh_with_its_tokens(bakery, baguette):
    assert '<h1 class="shop-header__title">Boulangerie Dupont</h1>' in page(bakery.url)
    resident = resident_with_a_request(baguette, bakery.url)
    rename_shop_unannounced(bakery, "Boulangerie renommée")

    own = page(bakery.url, resident)
    assert '<h1 class="shop-header__title">Boulangerie renommée</h1>' in own
    assert '"name": "Boulangerie renommée"' in shop_head(own)
    assert tokens(own) and all(tokens(own))
    shared = page(bakery.url)
    assert '<h1 class="shop-header__title">Boulangerie Dupont</h1>' in shared
    assert set(tokens(shared)) == {""}


def test_a_preview_of_the_shop_shows_the_draft_not_the_part_kept(bakery, baguette):
    assert "Boulangerie Dupont" in shop_body(page(bakery.url))
    bakery.title = "Boulangerie en projet"
    preview = bakery.make_preview_request().content.decode()
    assert '<h1 class="shop-header__title">Boulangerie en projet</h1>' in preview
