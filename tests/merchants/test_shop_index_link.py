"""The header's link to the shop index: the index a page is routed through, else kept in the
cache; it follows the index at once."""

import re

import pytest

from .. import builders

pytestmark = pytest.mark.django_db


def test_the_link_follows_a_new_slug_of_the_index(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # pages rendered each time: the link's own cache
    index = builders.shop_index()
    assert 'href="/commerces/"' in client.get("/").content.decode()

    index.slug = "boutiques"
    index.save_revision().publish()

    page = client.get("/").content.decode()
    assert 'href="/boutiques/"' in page
    assert 'href="/commerces/"' not in page


def test_an_index_published_later_is_linked_at_once(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    assert client.get("/").status_code == 200  # no index yet: the link is kept as "/"
    index = builders.shop_index()
    assert f'href="{index.url}"' in client.get("/").content.decode()


def header_link(client, url):
    html = client.get(url).content.decode()
    return re.search(r'<nav class="site-nav".*?<a href="([^"]*)"', html, re.S).group(1)


def test_the_index_and_the_pages_below_it_link_it_as_they_are_served(client, settings):
    # They link the index they were routed through: it follows a new slug at once too.
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    shop = builders.shop("Boulangerie Dupont")
    product = builders.product(shop, name="Baguette")
    pages = [builders.shop_index().url, shop.url, product.url]
    assert [header_link(client, url) for url in pages] == ["/commerces/"] * 3

    index = builders.shop_index()
    index.slug = "boutiques"
    index.save_revision().publish()
    shop.refresh_from_db()
    product.shop.refresh_from_db()
    pages = [index.url, shop.url, product.url]
    assert [header_link(client, url) for url in pages] == ["/boutiques/"] * 3

    index.unpublish()  # its shops stay published: they link the home page instead
    assert [header_link(client, url) for url in pages[1:]] == ["/", "/"]
