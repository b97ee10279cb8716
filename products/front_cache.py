"""Products in the cache in front of the servers (a CDN, a caching reverse proxy), when one
is configured (WAGTAILFRONTENDCACHE, see portal/settings/env.py).

Wagtail purges a page from it when the page is published or unpublished. A product is not
a page: its edits, deletions, stock clicks, imports and catalogue syncs purge its own page
and its shop's page (which lists it) here, once per transaction, after the commit (Wagtail's
purge task, run by the worker). The page cache of the servers themselves is forgotten by
home/page_cache.py on any change; a front cache is purged address by address, so what a
change cannot name (a search's results) shows there when the front cache's own time to
live ends: README, "A CDN or a caching reverse proxy".
"""

from collections import defaultdict
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# Per thread and task: the batch of the transaction running.
_batch = ContextVar("front_cache_batch", default=None)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def products_changed(pairs):
    """The products given as (shop id, slug) pairs have changed: purge their pages and
    their shops' pages when the transaction commits (at once outside a transaction)."""
    batch = _batch.get()
    if batch is None or not batch.queued():
        batch = _Batch()
        _batch.set(batch)
        transaction.on_commit(batch.purge)
    batch.pairs.update(pairs)


class _Batch:
    """What one transaction changed. A rolled-back transaction (or savepoint) drops its
    commit callback: the next change then starts a new batch."""

    def __init__(self):
        self.pairs = set()
        self.done = False

    def queued(self):
        pending = transaction.get_connection().run_on_commit
        return not self.done and any(callback == self.purge for _, callback, _ in pending)

    def purge(self):
        from wagtail.contrib.frontend_cache.utils import PurgeBatch

        from merchants.models import MerchantPage

        self.done = True
        slugs = defaultdict(set)
        for shop_id, slug in self.pairs:
            slugs[shop_id].add(slug)
        urls = PurgeBatch()
        for shop in MerchantPage.objects.live().filter(pk__in=slugs).specific():
            parts = shop.get_url_parts(request=urls)
            if parts is None:
                continue
            _, root_url, page_path = parts
            # The home page too: it shows the town's featured and newest products.
            urls.add_url(root_url + "/")
            urls.add_urls(
                root_url + page_path + path[1:]
                for path in shop.shop_and_product_paths(slugs[shop.pk])
            )
        urls.purge()


def _on_product_saved(sender, instance, raw=False, **kwargs):
    if enabled() and not raw:
        products_changed([(instance.shop_id, instance.slug)])


def connect():
    from .models import Product

    for signal in (post_save, post_delete):
        signal.connect(_on_product_saved, sender=Product, dispatch_uid=f"front_cache.{signal}")
