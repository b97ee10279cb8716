"""Each page's view restrictions, read in one query, are Wagtail's own."""

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
