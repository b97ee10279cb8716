"""The header's link to the shop index is kept in the cache, and follows the index at once."""

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
