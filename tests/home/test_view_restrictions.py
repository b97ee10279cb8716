"""A page's view restrictions, asked in the query that reads the page (home.pages): a page
without any is served without a query of its own for them; every restricted one, on the
page, above it or on the home page, still asks for its password."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import builders

pytestmark = pytest.mark.django_db


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def asks_for_password(client, url):
    response = client.get(url)
    return response.status_code == 200 and 'name="password"' in response.content.decode()


@override_settings(PORTAL_PAGE_CACHE_SECONDS=0)
def test_a_page_without_restrictions_reads_none(client):
    shop = builders.shop("Boulangerie Dupont")
    client.get(shop.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(shop.url).status_code == 200

    read_alone = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT DISTINCT "wagtailcore_pageviewrestriction"')
    ]
    assert read_alone == []
    assert not asks_for_password(client, shop.url)


@pytest.mark.parametrize("where", ["shop", "index", "home"])
def test_a_restriction_on_the_page_or_above_it_still_asks_for_the_password(client, where):
    shop = builders.shop("Fleurs de Lys")
    product = builders.product(shop, "Tulipes")
    assert not asks_for_password(client, shop.url)  # kept by the page cache, then purged

    restrict({"shop": shop, "index": builders.shop_index(), "home": builders.home_page()}[where])

    assert asks_for_password(client, shop.url)
    assert asks_for_password(client, product.url)
    assert asks_for_password(client, "/") == (where == "home")
