"""Public pages served to anonymous visitors from the cache, never stale.

What is cached: the answer to an anonymous GET or HEAD of a Wagtail page or of the search
(CACHED_VIEWS), keyed by host, full path with its query string, and language. Never for a
signed-in user (staff and merchants always see fresh pages and their user bar), a visitor
with a message waiting, a preview, a POST, an answer other than 200, one that sets a
cookie, or one whose rendering asked for a CSRF token or used the visitor's session: what
makes a page per-visitor is either left out of a shared page (the request-list counter and
the forms' CSRF tokens, filled by static/js/visitor.js from `orders:visitor`) or keeps the
page out of the cache. Only visitors without a session fill the cache; anyone anonymous
reads it.

Never stale, by construction: every key holds the cache's current *generation*, a random
value that `purge()` replaces. Any write to what public pages show purges (the signals
below, for every model of the apps that make public pages; PurgingQuerySet for bulk writes,
which send no signal). A town's content changes a few times a day, so forgetting every page
at each change costs little, and no rule has to know which pages show what. A page that
shows something that changes with time says when (`expires_at`: a shop's "open until
18:30", the next opening or closing of any shop for the "open now" filter), and is kept no
longer than that, nor past midnight (dates
such as a pause's end), nor PORTAL_PAGE_CACHE_SECONDS.
"""

import hashlib
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from wagtail.images import get_image_model
from wagtail.models import COMMENTS_RELATION_NAME, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHED_VIEWS = {"wagtail_serve", "search"}
# Every model of these apps is shown on public pages, or decides what they show.
PUBLIC_APPS = {"home", "merchants", "products"}
GENERATION_KEY = "page-cache:generation"
# A page saved with only these fields has a new draft, comments or lock: nothing public.
DRAFT_FIELDS = {
    COMMENTS_RELATION_NAME,
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "locked_at",
}
# Response headers not kept with a page: each answer has its own.
PER_RESPONSE_HEADERS = {"set-cookie", "vary", "x-cache", "date"}

# Sent on every answer from the cache, with `request` (its `page_view` set as the page's
# own request had it), for what runs after a page is served (insights counts views).
served_from_cache = Signal()

_expiries = ContextVar("page_cache_expiries", default=None)
# The generation read during the request being served (PageCacheMiddleware), if any.
_generation = ContextVar("page_cache_generation", default=None)

# The pages this process read or wrote last, by key: a hit then costs one look-up in the
# shared cache (the generation) instead of two, and no decoding of the page. Keys hold the
# generation, so a purge elsewhere reaches them too; each entry keeps its own expiry.
LOCAL_PAGES = 200
_local = {}
_local_lock = threading.Lock()


def _cache():
    return caches[settings.PORTAL_PAGE_CACHE]


def generation():
    """The cache's current generation: read once per request (the page's address and each
    part kept are then looked up under the same one), again after a purge."""
    remembered = _generation.get()
    if remembered:
        return remembered[0]
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    if remembered is not None:
        remembered.append(value)
    return value


def _bump():
    # A new random value, never a counter: an evicted generation key can never bring old
    # pages back.
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    if remembered := _generation.get():
        remembered.clear()


def purge():
    """Every cached page is out of date. Now, and again when the transaction commits: a page
    rendered from the old rows meanwhile is then forgotten too."""
    _bump()
    transaction.on_commit(_bump)


def expires_at(moment):
    """The page being rendered shows something that changes at `moment`: an aware datetime,
    or a function returning one, called only if the page is kept (it may cost a query)."""
    expiries = _expiries.get()
    if expiries is not None:
        expiries.append(moment)


@contextmanager
def expiries():
    """For a part of a page kept on its own (home.pages.fragment_until_purge): the moments the
    page being rendered was told of so far (the view's, such as the "open now" filter's next
    change, decide what the part shows) and those `expires_at` is told of inside the block,
    which the page is not told of; in the list yielded, resolved, when the block ends."""
    moments = list(_expiries.get() or ())
    token = _expiries.set(moments)
    try:
        yield moments
    finally:
        _expiries.reset(token)
        moments[:] = [moment() if callable(moment) else moment for moment in moments]


def next_midnight(now):
    """The local midnight after `now`: what a page shows of dates (a pause's end, today's
    hours) is kept no longer."""
    return timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), datetime.min.time())
    )


def is_shared(request):
    """Whether the page being rendered may be served to other visitors: it must then hold
    nothing of this visitor's (no CSRF token, no request-list counter)."""
    return getattr(request, "page_cache_key", None) is not None


def shared_page(request):
    """Context processor: `shared_page` is true in a page that other visitors may be served."""
    return {"shared_page": is_shared(request)}


def messages_waiting(request):
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and (
        SessionStorage.session_key in request.session
    )


class PurgingQuerySet(models.QuerySet):
    """Bulk writes send no signal: these purge the page cache themselves."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            purge()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            purge()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            purge()
        return rows


# The middleware ---------------------------------------------------------------------------


class PageCacheMiddleware:
    """After the authentication and message middleware, so that it knows who asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token, generation_token = _expiries.set([]), _generation.set([])
        try:
            response = self.get_response(request)
            key = getattr(request, "page_cache_key", None)
            if key is not None:
                response["X-Cache"] = "MISS"
                self._store(request, response, key)
            elif getattr(request, "page_cache_private", False):
                # A signed-in user's page has their user bar: no shared cache may keep it.
                patch_cache_control(response, private=True)
            return response
        finally:
            _expiries.reset(token)
            _generation.reset(generation_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name not in CACHED_VIEWS:
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        if request.user.is_authenticated:
            request.page_cache_private = True
            return None
        if getattr(request, "is_preview", False) or messages_waiting(request):
            return None
        key = ":".join(
            (
                "page-cache",
                generation(),
                translation.get_language(),
                hashlib.sha256(
                    f"{request.get_host()}{request.get_full_path()}".encode()
                ).hexdigest(),
            )
        )
        entry = _read(key)
        if entry is None:
            if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                request.page_cache_key = key
            return None
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["X-Cache"] = "HIT"
        request.page_view = entry["page_view"]
        served_from_cache.send(sender=self.__class__, request=request, response=response)
        return response

    def _store(self, request, response, key):
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or request.session.modified
            or (timeout := self._timeout()) <= 0
        ):
            response["X-Cache"] = "BYPASS"
            return
        patch_cache_control(response, public=True, max_age=0)
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in PER_RESPONSE_HEADERS
        }
        entry = {
            "content": response.content,
            "headers": headers,
            "page_view": getattr(request, "page_view", None),
            "expires": time.time() + timeout,
        }
        _cache().set(key, entry, timeout)
        _keep(key, entry)

    def _timeout(self):
        now = timezone.now()
        midnight = next_midnight(now)
        if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
            return 0
        moments = [moment() if callable(moment) else moment for moment in _expiries.get()]
        until = min(moment for moment in [midnight, *moments] if moment is not None)
        return min(settings.PORTAL_PAGE_CACHE_SECONDS, int((until - now).total_seconds()))


def _read(key):
    entry = _local.get(key)
    if entry is None:
        entry = _cache().get(key)
        if entry is not None:
            _keep(key, entry)
    if entry is not None and entry["expires"] <= time.time():
        return None
    return entry


def _keep(key, entry):
    with _local_lock:
        _local.pop(key, None)
        while len(_local) >= LOCAL_PAGES:
            del _local[next(iter(_local))]  # the oldest kept
        _local[key] = entry


# What purges ------------------------------------------------------------------------------


def _purge_on_signal(sender, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= DRAFT_FIELDS):
        return
    purge()


def connect_purges():
    """Called once, when the apps are ready: every model of PUBLIC_APPS, every page type,
    the sites and the images."""
    from django.apps import apps

    senders = [
        model
        for model in apps.get_models()
        if model._meta.app_label in PUBLIC_APPS or issubclass(model, Page)
    ]
    senders += [Site, get_image_model()]
    for model in senders:
        for signal in (post_save, post_delete):
            signal.connect(_purge_on_signal, sender=model, dispatch_uid=f"page_cache.{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _purge_on_signal,
                sender=field.remote_field.through,
                dispatch_uid=f"page_cache.{field.remote_field.through}",
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on_signal, dispatch_uid=f"page_cache.{signal}")
