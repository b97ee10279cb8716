"""The follow forms sit on pages every visitor shares (home/page_cache.py): they carry no
CSRF token of their own, and posting one with the token visitor.js fetches works."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subscriptions.models import Subscription

from .. import builders
from ..portal.test_page_cache import cached
from .conftest import follow, mails_to, path

pytestmark = pytest.mark.django_db

NO_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="\w')


@pytest.mark.parametrize("where", ["shop", "product", "category", "home"])
def test_the_forms_of_shared_pages_hold_no_token(bakery, sold_out, where):
    url = {
        "shop": bakery.url,
        "product": sold_out.url,
        "category": builders.shop_index().url + "?category=boulangerie",
        "home": "/",
    }[where]

    page = cached(url)

    form = page[page.index('class="follow"') : page.index("</form>", page.index('class="follow"'))]
    assert 'name="csrfmiddlewaretoken" value="" data-visitor-csrf' in form
    assert not NO_TOKEN.search(page)


def test_a_visitor_follows_with_the_token_visitor_js_fetches(bakery):
    resident = Client(enforce_csrf_checks=True)
    cached(bakery.url)
    token = resident.get(reverse("orders:visitor")).json()["csrf_token"]

    response = follow(resident, "shop", bakery, csrfmiddlewaretoken=token)

    assert response.status_code == 302
    assert Subscription.objects.get().shop_id == bakery.pk


def manage_queries(client, shops):
    resident = Client()
    for shop in shops:
        follow(resident, "shop", shop)
    link = path(mails_to().first().context["manage_url"])
    assert client.get(link).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(link).status_code == 200
    return len(queries)


def test_the_manage_page_reads_the_same_for_one_or_many_subscriptions(client, db):
    one = manage_queries(client, [builders.shop()])
    Subscription.objects.all().delete()
    many = manage_queries(client, [builders.shop() for _ in range(6)])

    assert many == one
