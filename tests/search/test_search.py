"""The public search: the same expectations on SQLite and PostgreSQL (CI runs this file
on both), because the index and the query go through one normalisation."""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home import page_cache
from merchants.models import OpeningHours, ShopGalleryImage
from products.models import Availability, Product
from search.models import SearchRecord
from search.query import ParsedQuery

from .. import builders
from ..portal.test_page_cache import cached, fresh
from ..test_query_budgets import AFTER_PURGE

pytestmark = pytest.mark.django_db


def names(response, group):
    """The card titles of one result group ("shops" or "products"), in page order."""
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(rf'<section aria-labelledby="{group}-title">(.*?)</section>', html, re.S)
    if section is None:
        return []
    return re.findall(r'class="card__link" href="[^"]*">([^<]*)</a>', section.group(1))


def search(client, query, **params):
    return client.get("/search/", {"q": query, **params})


@pytest.fixture
def town(bakery, flower_shop):
    shoes = builders.shop(
        "Chaussures Martin",
        categories=[builders.category("Chaussures", "👟")],
        neighbourhood=builders.neighbourhood("Gare"),
        tagline="Chaussures de ville et de marche",
    )
    breads = builders.product_category("Pains")
    products = {
        "campagne": builders.product(
            bakery, "Pain de campagne", price=Decimal("3.20"), category=breads
        ),
        "complet": builders.product(
            bakery,
            "Pain complet",
            price=Decimal("2.90"),
            category=breads,
            short_description="Farine de la campagne voisine",
        ),
        "chocolat": builders.product(bakery, "Pain au chocolat", price=Decimal("4.10")),
        "cafe": builders.product(bakery, "Café moulu", short_description="Arabica d'Éthiopie"),
        "rose": builders.product(
            flower_shop, "Rose rouge", short_description="Une fleur coupée le matin même"
        ),
        "marche": builders.product(shoes, "Chaussures de marche", price=Decimal("89.00")),
    }
    return {"bakery": bakery, "flowers": flower_shop, "shoes": shoes, **products}


# Matching ----------------------------------------------------------------------------


def test_accents_and_case_do_not_matter(client, town):
    assert names(search(client, "cafe"), "products") == ["Café moulu"]
    assert names(search(client, "CAFÉ"), "products") == ["Café moulu"]
    assert names(search(client, "ethiopie"), "products") == ["Café moulu"]


def test_plurals_and_inflections_match(client, town):
    assert names(search(client, "fleurs"), "products") == ["Rose rouge"]
    assert names(search(client, "chaussure"), "products") == ["Chaussures de marche"]
    assert names(search(client, "chaussure"), "shops") == ["Chaussures Martin"]
    assert "Pain au chocolat" in names(search(client, "chocolats"), "products")


def test_several_words_narrow_the_results(client, town):
    assert set(names(search(client, "pain"), "products")) == {
        "Pain de campagne",
        "Pain complet",
        "Pain au chocolat",
    }
    # "de" is too common to narrow anything: it does not hide "Pain complet".
    assert set(names(search(client, "pain de campagne"), "products")) == {
        "Pain de campagne",
        "Pain complet",
    }
    assert names(search(client, "pain chocolat"), "products") == ["Pain au chocolat"]


def test_a_quoted_phrase_is_a_phrase(client, town):
    assert names(search(client, '"pain de campagne"'), "products") == ["Pain de campagne"]
    assert names(search(client, "« Pain de Campagne »"), "products") == ["Pain de campagne"]
    assert names(search(client, '"campagne pain"'), "products") == []


def test_a_mistyped_long_word_is_corrected_to_a_known_one(client, town):
    response = search(client, "chocolst")

    html = response.content.decode()
    assert names(response, "products") == ["Pain au chocolat"]
    notice = re.search(r'<p class="notice" role="status">(.*?)</p>', html, re.S).group(1)
    assert "chocolat" in notice and "chocolst" in notice
    # What was typed is recorded, as finding nothing: the city sees the misses.
    record = SearchRecord.objects.get()
    assert (record.query, record.results) == ("chocolst", 0)


def test_a_mistyped_plural_is_corrected_to_a_form_of_a_known_word(client, town):
    response = search(client, "chocolsts")

    assert names(response, "products") == ["Pain au chocolat"]
    assert "« chocolat »" in response.content.decode()  # a word the shops write


def test_a_correction_keeps_the_accents_of_the_known_word(client, town):
    response = search(client, "Éthiopia")

    assert names(response, "products") == ["Café moulu"]
    assert "éthiopie" in response.content.decode()


def test_short_words_are_not_corrected(client, town):
    response = search(client, "paim")

    assert names(response, "products") == []
    assert 'class="notice"' not in response.content.decode()


def test_results_show_what_matched(client, town):
    html = search(client, "fleurs").content.decode()

    assert "Une <mark>fleur</mark> coupée le matin même" in html


def test_common_words_are_not_marked_and_entities_not_escaped_twice(client, town):
    town["complet"].description = "<p>Farine de la campagne &amp; levain</p>"
    town["complet"].short_description = ""
    town["complet"].save()

    html = search(client, "campagne de").content.decode()

    assert "Farine de la <mark>campagne</mark> &amp; levain" in html
    assert "<mark>de</mark>" not in html


def test_a_shop_found_by_its_description_shows_it(client, town):
    shop = town["shoes"]
    shop.description = [("paragraph", "<p>Ressemelage et cirage à l'ancienne.</p>")]
    shop.save_revision().publish()

    html = search(client, "ressemelage", kind="shops").content.decode()

    assert names(search(client, "ressemelage"), "shops") == ["Chaussures Martin"]
    assert "<mark>Ressemelage</mark> et cirage" in html


# Filters and their counts ------------------------------------------------------------


def test_kind_shows_one_group(client, town):
    assert names(search(client, "chaussures", kind="shops"), "products") == []
    assert names(search(client, "chaussures", kind="shops"), "shops") == ["Chaussures Martin"]
    assert names(search(client, "chaussures", kind="products"), "shops") == []
    assert names(search(client, "chaussures", kind="products"), "products") == [
        "Chaussures de marche"
    ]


def test_filters_narrow_both_groups(client, town):
    # "marche" is in the shoe shop's tagline and product, "matin" in the florist's product.
    assert names(search(client, "pain", category="fleuriste"), "products") == []
    assert names(search(client, "chaussures", neighbourhood="centre"), "shops") == []
    assert names(search(client, "chaussures", neighbourhood="gare"), "shops") == [
        "Chaussures Martin"
    ]
    assert set(names(search(client, "pain", product_category="pains"), "products")) == {
        "Pain de campagne",
        "Pain complet",
    }
    # Only the bakery delivers.
    assert names(search(client, "chaussures", delivery="on"), "products") == []
    assert len(names(search(client, "pain", delivery="on"), "products")) == 3


def test_availability_filter_leaves_out_sold_out_products(client, town):
    town["chocolat"].availability = Availability.OUT_OF_STOCK
    town["chocolat"].save()

    assert "Pain au chocolat" in names(search(client, "pain"), "products")
    assert "Pain au chocolat" not in names(search(client, "pain", available="on"), "products")


def test_open_now_is_a_database_filter_on_the_hours(client, town):
    town["flowers"].opening_hours.all().delete()
    OpeningHours.objects.bulk_create(  # open around the clock, every day
        OpeningHours(shop=town["flowers"], weekday=day, opens=time(hour), closes=time(closes))
        for day in range(7)
        for hour, closes in ((0, 12), (12, 0))
    )
    town["shoes"].opening_hours.all().delete()  # no hours: never open

    assert names(search(client, "fleurs", open_now="on"), "products") == ["Rose rouge"]
    assert names(search(client, "chaussures", open_now="on"), "products") == []
    assert names(search(client, "chaussures", open_now="on"), "shops") == []


def test_products_sort_by_price_and_newest(client, town):
    cheapest_first = names(search(client, "pain", sort="price"), "products")
    dearest_first = names(search(client, "pain", sort="-price"), "products")
    newest_first = names(search(client, "pain", sort="newest"), "products")

    assert cheapest_first == ["Pain complet", "Pain de campagne", "Pain au chocolat"]
    assert dearest_first == list(reversed(cheapest_first))
    assert newest_first == ["Pain au chocolat", "Pain complet", "Pain de campagne"]


def test_each_category_and_neighbourhood_shows_its_number_of_results(client, town):
    # "chaussures": the shoe shop and its product (category Chaussures, Gare).
    # "pain" adds nothing there; counted by hand for "marche":
    #   shoe shop (tagline "de marche") + "Chaussures de marche" -> Chaussures 2, Gare 2.
    html = search(client, "marche").content.decode()

    assert option(html, "category", "chaussures") == "Chaussures (2)"
    assert option(html, "category", "boulangerie") == "Boulangerie (0)"
    assert option(html, "neighbourhood", "gare") == "Gare (2)"
    # A facet is counted without its own choice, so that the other choices keep numbers.
    html = search(client, "pain", category="fleuriste").content.decode()
    assert option(html, "category", "boulangerie") == "Boulangerie (3)"
    assert option(html, "product_category", "pains") == "Pains (0)"
    html = search(client, "pain").content.decode()
    assert option(html, "product_category", "pains") == "Pains (2)"
    assert option(html, "neighbourhood", "centre") == "Centre (3)"


def test_facets_count_each_result_once_when_its_shop_has_several_categories(client, town):
    # The bakery is also a grocery: each of its 3 "pain" products counts once in its
    # neighbourhood and its product category, and once in each of the shop's categories.
    bakery = town["bakery"]
    bakery.categories.add(builders.category("Épicerie", "🧺"))
    bakery.save()
    html = search(client, "pain", kind="products").content.decode()

    assert option(html, "category", "boulangerie") == "Boulangerie (3)"
    assert option(html, "category", "epicerie") == "Épicerie (3)"
    assert option(html, "neighbourhood", "centre") == "Centre (3)"
    assert option(html, "product_category", "pains") == "Pains (2)"
    # Chosen, a category keeps the other facets to its shops, without counting twice.
    html = search(client, "pain", category="epicerie").content.decode()
    assert option(html, "neighbourhood", "centre") == "Centre (3)"
    assert option(html, "product_category", "pains") == "Pains (2)"


def test_results_are_ranked_as_the_search_backend_ranks_them(client, town):
    # Scores differ (the word in the name, in the description, several times) and tie
    # (the same text twice): the page keeps Wagtail's order, best score then newest.
    bakery = town["bakery"]
    builders.product(bakery, "Brioche", short_description="Se mange avec du pain grillé")
    builders.product(bakery, "Pain pain pain", short_description="Pain, encore du pain")
    builders.product(bakery, "Pain de seigle", short_description="Fait maison.")
    builders.product(bakery, "Pain de seigle", short_description="Fait maison.")
    # Wagtail's own relevance ordering, which the page's one-query ranking reproduces.
    query = ParsedQuery.parse("pain").search_query()
    found = Product.objects.search(query, order_by_relevance=True).get_queryset()
    expected = list(found.filter(is_active=True).values_list("name", flat=True))

    assert len(expected) == 7
    assert names(search(client, "pain", kind="products"), "products") == expected


def option(html, name, value):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(rf'<option value="{value}"[^>]*>([^<]*)</option>', select).group(1)


def test_every_result_page_has_a_shareable_address(client, town):
    response = search(client, "pain", sort="price", page=1)

    html = response.content.decode()
    assert 'name="q" value="pain"' in html
    assert re.search(r'<option value="price" selected>', html)


def test_old_search_address_redirects_with_its_query(client, town):
    response = client.get("/recherche/?q=pain&kind=products")

    assert response.status_code == 301
    assert response["Location"] == "/search/?q=pain&kind=products"


# No result, promotions, records --------------------------------------------------------


def test_no_result_says_so_with_suggestions_and_categories(client, town):
    response = search(client, "pain licorne")

    html = response.content.decode()
    assert 'id="no-results-title"' in html
    # Any of the words: the breads come up as the nearest results.
    nearest = re.search(r'class="no-results"(.*?)</section>', html, re.S).group(1)
    assert "Pain au chocolat" in nearest
    assert "?category=boulangerie" in nearest  # the category tiles


def test_a_single_word_without_result_suggests_names_that_start_alike(client, town):
    response = search(client, "marchepied")

    nearest = re.search(r'class="no-results"(.*?)</section>', response.content.decode(), re.S)
    assert "Chaussures de marche" in nearest.group(1)


def test_a_query_matching_only_a_content_page_is_not_a_miss(client, town):
    from home.models import StandardPage

    builders.home_page().add_child(
        instance=StandardPage(title="Livraison à vélo", slug="livraison-a-velo")
    ).save_revision().publish()

    html = search(client, "vélo").content.decode()

    assert 'id="no-results-title"' not in html and "Livraison à vélo" in html
    assert SearchRecord.objects.get(query="velo").results == 1


def test_shops_asked_for_ignore_the_product_filters(client, town):
    response = search(client, "chaussures", kind="shops", available="on")

    assert names(response, "shops") == ["Chaussures Martin"]


def test_an_unpublished_page_is_never_promoted(client, town):
    hidden = builders.shop("Boutique secrète", publish=False)
    query = Query.objects.create(query_string="pain")
    SearchPromotion.objects.create(query=query, page=hidden)

    html = search(client, "pain").content.decode()

    assert "Boutique secrète" not in html and 'class="promotions"' not in html


def test_city_promotes_a_page_for_a_query(client, town):
    query = Query.objects.create(query_string="noël")
    SearchPromotion.objects.create(query=query, page=town["bakery"], description="Bûches")

    html = search(client, "Noel").content.decode()

    promoted = re.search(r'class="promotions"(.*?)</section>', html, re.S).group(1)
    assert town["bakery"].url in promoted and "Bûches" in promoted
    assert 'class="promotions"' not in search(client, "pain").content.decode()


def test_a_promotion_saved_or_removed_shows_at_once(town):
    # The page cache is on: the city's change reaches the cached search page at once.
    assert 'class="promotions"' not in cached("/search/?q=pain")

    promotion = SearchPromotion.objects.create(
        query=Query.objects.create(query_string="pain"), page=town["bakery"]
    )
    assert 'class="promotions"' in fresh("/search/?q=pain")

    promotion.delete()
    assert 'class="promotions"' not in fresh("/search/?q=pain")


def test_each_search_is_recorded_with_its_number_of_results(client, town):
    from django.test import Client

    search(client, "Pain")
    search(Client(REMOTE_ADDR="198.51.100.20"), "pain")  # another resident
    search(client, "pain", page=2)  # turning pages is the same search
    search(client, "pain", delivery="on", sort="price")  # so is refining it
    search(client, "licorne")
    search(client, "!!!")

    pain = SearchRecord.objects.get(query="pain")
    assert (pain.hits, pain.results) == (2, 3)
    assert SearchRecord.objects.get(query="licorne").results == 0
    assert SearchRecord.objects.get(query="!!!").results == 0


def test_searching_in_a_loop_inflates_no_statistic(client, town, settings):
    from django.test import Client

    settings.PORTAL_STATS_RATE_LIMIT = 5
    for _repeat in range(50):
        assert search(client, "pain").status_code == 200
    assert SearchRecord.objects.get(query="pain").hits == 1

    # Made-up queries, from another address: recorded up to the address's cap.
    other = Client(REMOTE_ADDR="198.51.100.20")
    for number in range(10):
        search(other, f"réclame {number}")
    assert SearchRecord.objects.filter(query__startswith="reclame").count() == 5


# Hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "pain " * 2_000,
        "!!! ??? ... ;;; ***",
        "'; DROP TABLE products_product; --",
        'pain" OR 1=1 --',
        "NEAR(pain chocolat) AND NOT * ^ {title}:x",
        '"unbalanced',
        "« »",
        "\x00pain\x00",
        "pain & (chocolat | !café)",
    ],
)
def test_hostile_queries_get_a_normal_page(client, town, query):
    response = search(client, query, page="999999", shops_page="x", sort="'; --")

    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_hostile_suggestion_queries_get_an_empty_list(client, town):
    for query in ["'; DROP TABLE x; --", "*", '"', "a" * 10_000, "NEAR("]:
        response = client.get("/search/suggest/", {"q": query})
        assert response.status_code == 200
        assert isinstance(response.json()["results"], list)


# Autocomplete --------------------------------------------------------------------------


def test_suggestions_mix_shops_and_products_by_prefix(client, town):
    response = client.get("/search/suggest/", {"q": "chau"})

    results = response.json()["results"]
    assert [(r["kind"], r["label"]) for r in results] == [
        ("shop", "Chaussures Martin"),
        ("product", "Chaussures de marche"),
    ]
    assert results[0]["url"] == town["shoes"].url
    assert results[1]["url"] == town["marche"].get_url()


def test_suggestions_ignore_accents_and_hidden_products(client, town):
    town["chocolat"].is_active = False
    town["chocolat"].save()

    labels = [r["label"] for r in client.get("/search/suggest/?q=CAF").json()["results"]]
    assert labels == ["Café moulu"]
    labels = [r["label"] for r in client.get("/search/suggest/?q=pain").json()["results"]]
    assert "Pain au chocolat" not in labels and "Pain complet" in labels


def test_suggestions_are_at_most_eight(client, bakery):
    for number in range(12):
        builders.product(bakery, f"Biscuit {number}")

    results = client.get("/search/suggest/?q=bis").json()["results"]

    assert len(results) == 8


def test_suggestions_leave_out_unpublished_shops(client, bakery):
    hidden = builders.shop("Chocolaterie Secrète", publish=False)
    builders.product(hidden, "Chocolat secret")

    assert client.get("/search/suggest/?q=chocol").json()["results"] == []


# Query budget ----------------------------------------------------------------------------


@override_settings(PORTAL_PAGE_CACHE_SECONDS=0)  # each request runs the search
def search_queries(client, items):
    category = builders.category("Boulangerie")
    image = builders.make_image("Vitrine")
    for number in range(items):
        shop = builders.shop(f"Fournil {number:03d}", categories=[category])
        ShopGalleryImage.objects.create(shop=shop, image=image, alt_text="La vitrine")
        builders.product(shop, f"Pain {number:03d}", image=image)
    url = "/search/?q=fournil+pain&kind=&category=boulangerie"
    assert client.get(url).status_code == 200  # warm-up (renditions, site root paths)
    url = "/search/?q=pain&category=boulangerie"
    client.get(url)
    page_cache.purge()  # the results are searched again: a kept page runs no search at all
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


SEARCH_BUDGET = AFTER_PURGE["search"] + 1  # and the chosen category, read by its slug


def test_search_page_query_count_does_not_grow_with_results(client, home):
    few, response = search_queries(client, 3)
    assert len(names(response, "products")) == 3

    more, response = search_queries(client, 27)
    assert len(names(response, "products")) == 20  # a full page of 30 results

    assert more == few
    assert more <= SEARCH_BUDGET
