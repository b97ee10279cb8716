import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import test_query_budgets as qb

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("measure", [qb.home_queries, qb.shop_queries])
def test_dump(client, measure, monkeypatch, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    from home import page_cache

    def count(client, url, after_purge=False):
        client.get(url)
        page_cache.purge()
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        print("\n=====", measure.__name__, url, len(q), r.status_code)
        for i, x in enumerate(q.captured_queries):
            s = x["sql"]
            print(i, s[:70], "...", s[s.find(" FROM ") :][:90])
        return len(q)

    monkeypatch.setattr(qb, "count_queries", count)
    measure(client, 10)
