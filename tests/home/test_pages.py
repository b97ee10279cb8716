"""Pages served in fewer queries than Wagtail's defaults, by Wagtail's rules: their routing
and their view restrictions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage

from .. import builders

pytestmark = pytest.mark.django_db


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def restrictions(page):
    """Ours, Wagtail's; and how many queries ours took."""
    with CaptureQueriesContext(connection) as queries:
        ours = set(page.get_view_restrictions())
    return ours, set(Page.get_view_restrictions(page)), len(queries)


def test_a_public_page_has_none():
    ours, wagtails, count = restrictions(builders.shop())
    assert ours == wagtails == set()
    assert count == 1


def test_a_page_below_a_restricted_one_has_its_restriction():
    restriction = restrict(builders.shop_index())
    ours, wagtails, count = restrictions(builders.shop())
    assert ours == wagtails == {restriction}
    assert count == 1


def test_an_alias_is_restricted_as_its_source_and_under_its_own_parents():
    home = builders.home_page()
    secret = home.add_child(instance=StandardPage(title="Réservé", slug="reserve"))
    restriction = restrict(secret)
    alias = secret.create_alias(parent=home, update_slug="reserve-copie").specific
    index_restriction = restrict(builders.shop_index())
    alias_under_index = secret.create_alias(parent=builders.shop_index(), update_slug="copie")
    ours, wagtails, _ = restrictions(alias)
    assert ours == wagtails == {restriction}
    ours, wagtails, _ = restrictions(alias_under_index.specific)
    assert ours == wagtails == {restriction, index_restriction}


def test_routing_reads_every_level_of_a_path_in_one_query(rf):
    home = builders.home_page()
    guide = home.add_child(instance=StandardPage(title="Guide", slug="guide"))
    chapter = guide.add_child(instance=StandardPage(title="Chapitre", slug="chapitre"))
    section = chapter.add_child(instance=StandardPage(title="Section", slug="section"))
    with CaptureQueriesContext(connection) as queries:
        route = Page.route_for_request(rf.get("/"), "/guide/chapitre/section/")
    assert route.page == section
    # The site, its root page, every level of the path, the last one's specific page.
    assert len(queries) == 4
    # The breadcrumbs' ancestors are those read on the way.
    with CaptureQueriesContext(connection) as queries:
        parents = [route.page.get_parent(), route.page.get_parent().get_parent()]
    assert [parent.pk for parent in parents] == [chapter.pk, guide.pk]
    assert len(queries) == 0


@pytest.mark.parametrize(
    "path, status",
    [
        ("/guide/chapitre/", 200),
        ("/guide/absent/", 404),
        ("/absent/chapitre/", 404),
        ("/guide/chapitre/absent/", 404),
        ("/guide/brouillon/", 404),
        ("/brouillon/enfant/", 200),  # as in Wagtail: only the page served must be live
    ],
)
def test_routing_answers_as_wagtail_does(client, settings, path, status):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    home = builders.home_page()
    guide = home.add_child(instance=StandardPage(title="Guide", slug="guide"))
    guide.add_child(instance=StandardPage(title="Chapitre", slug="chapitre"))
    guide.add_child(instance=StandardPage(title="Brouillon", slug="brouillon", live=False))
    draft = home.add_child(instance=StandardPage(title="Brouillon", slug="brouillon", live=False))
    draft.add_child(instance=StandardPage(title="Enfant", slug="enfant"))
    assert client.get(path).status_code == status


def test_a_shop_routes_its_products(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    shop = builders.shop("Boulangerie Dupont")
    product = builders.product(shop, "Baguette")
    response = client.get(product.url)
    assert response.status_code == 200
    assert "Baguette" in response.content.decode()
    assert client.get(shop.url + "absent/").status_code == 404
    hidden = builders.shop("Fleurs", publish=False)
    assert client.get(builders.product(hidden, "Rose").url).status_code == 404
