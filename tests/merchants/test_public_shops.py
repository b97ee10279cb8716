"""Shops in a private section (a view restriction on the shop or above it) are not public;
the rule is asked of the database in the listing's own query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from merchants.models import MerchantPage

from .. import builders

pytestmark = pytest.mark.django_db


def restrict(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def public_titles():
    return sorted(MerchantPage.objects.live().public().values_list("title", flat=True))


def test_a_restricted_shop_and_the_shops_under_a_restricted_index_are_not_public():
    builders.shop("Boulangerie Dupont")
    restrict(builders.shop("Fleurs secrètes"))
    assert public_titles() == ["Boulangerie Dupont"]

    restrict(builders.shop_index())
    assert public_titles() == []


def test_listing_public_shops_is_one_query():
    builders.shop("Boulangerie Dupont")
    restrict(builders.shop("Fleurs secrètes"))
    with CaptureQueriesContext(connection) as queries:
        public_titles()
    assert len(queries) == 1
