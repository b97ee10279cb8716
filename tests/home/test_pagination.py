"""A page of a list and the list's length in one query (home.pagination)."""

import pytest
from django.core.paginator import Paginator

from home.pagination import CountedWithRowsPaginator
from products.models import Product
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    shop = builders.shop("Épicerie du Coin")
    for number in range(25):
        builders.product(shop, name=f"Produit {number:02d}")
    return Product.objects.order_by("name")


@pytest.mark.parametrize("number", [1, 2, 3, "3", None, "abc", 0, -4, 9])
def test_pages_are_those_of_djangos_paginator(products, number):
    ours = CountedWithRowsPaginator(products, 10).get_page(number)
    djangos = Paginator(products, 10).get_page(number)

    assert ours.number == djangos.number
    assert list(ours.object_list) == list(djangos.object_list)
    assert (ours.paginator.count, ours.paginator.num_pages) == (25, 3)
    assert (ours.has_next(), ours.has_previous()) == (djangos.has_next(), djangos.has_previous())


def test_a_page_and_the_lists_length_are_one_query(products, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedWithRowsPaginator(products, 10).get_page(2)
        assert page.paginator.count == 25
        assert len(page.object_list) == 10
