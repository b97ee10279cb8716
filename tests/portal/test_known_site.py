"""Each process keeps the request's site, its root page and the portal's settings until the
next purge (home.middleware.KnownSiteMiddleware): a page rendered reads none of them, and an
edit shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from wagtail.models import Site

from home.models import PortalSettings
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # every page rendered


def tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    return response.content.decode(), {
        table
        for table in ("wagtailcore_site", "home_portalsettings", "home_homepage")
        if table in sql
    }


def test_the_site_and_its_settings_are_read_once_until_they_change(client):
    builders.home_page()
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.town_name = "Namur"
    portal_settings.save()

    html, first = tables_read(client, "/")
    assert "Namur" in html and first == {"wagtailcore_site", "home_portalsettings", "home_homepage"}
    html, again = tables_read(client, "/")
    assert "Namur" in html and again == set()

    portal_settings.town_name = "Dinant"
    portal_settings.save()  # purges
    html, after_edit = tables_read(client, "/")
    assert "Dinant" in html and "Namur" not in html
    assert after_edit == first


def test_each_request_has_its_own_copy(client, rf):
    from home.middleware import KnownSiteMiddleware

    builders.home_page()
    middleware = KnownSiteMiddleware(lambda request: None)
    copies = []
    for _ in range(2):
        request = rf.get("/")
        request.resolver_match = resolve("/")
        middleware.process_view(request, None, (), {})
        copies.append((request._wagtail_site, PortalSettings.for_request(request), request))

    (site_a, settings_a, request_a), (site_b, settings_b, request_b) = copies
    assert site_a == site_b and site_a is not site_b
    assert site_a.root_page.specific is not site_b.root_page.specific
    assert (settings_a._request, settings_b._request) == (request_a, request_b)
