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
below, for every model of the apps that make public pages and the city's promoted search
results; PurgingQuerySet for bulk writes, which send no signal). A town's content changes a
few times a day, so forgetting every page at each change costs little, and no rule has to
know which pages show what. A page that shows something that changes with time says when
(`expires_at`: a shop's "open until 18:30", the next opening or closing of any shop for the
"open now" filter), and is kept no longer than that, nor past midnight (dates
such as a pause's end), nor PORTAL_PAGE_CACHE_SECONDS.

Two middleware: PageCacheMiddleware, after the authentication and message middleware,
decides what may be kept and answers visitors with a session (a resident with a request
list); FrontPageCacheMiddleware, right after the request log, keeps the answer as it leaves
Django (with every header the other middleware add) and answers visitors without a session
before any other middleware runs: a hit then costs one look-up in the shared cache.
"""

import hashlib
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.images import get_image_model
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHED_VIEWS = {"wagtail_serve", "search"}
# Every model of these apps is shown on public pages, or decides what they show.
PUBLIC_APPS = {"home", "merchants", "products", "news", "events"}
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
PER_RESPONSE_HEADERS = {"set-cookie", "x-cache", "date"}

# Sent on every answer from the cache, with `request` (its `page_view` set as the page's
# own request had it), for what runs after a page is served (insights counts views).
served_from_cache = Signal()

_expiries = ContextVar("page_cache_expiries", default=None)
# The generation as the request being answered first read it: one look-up in the shared
# cache per request, however many pages parts and kept values it reads.
_request_generation = ContextVar("page_cache_generation", default=None)

# The pages this process read or wrote last, by key: a hit then costs one look-up in the
# shared cache (the generation) instead of two, and no decoding of the page. Keys hold the
# generation, so a purge elsewhere reaches them too; each entry keeps its own expiry.
LOCAL_PAGES = 200
_local = {}
_local_lock = threading.Lock()


def _cache():
    return caches[settings.PORTAL_PAGE_CACHE]


def generation():
    """The current generation; within a request, the one it read first. A purge by another
    request meanwhile then reaches this one's parts the next time: what it stores is under
    the old generation, which nothing reads any more."""
    memo = _request_generation.get()
    if memo:
        return memo[0]
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    if memo is not None:
        memo.append(value)
    return value


@contextmanager
def one_generation():
    """Within the block (a request), generation() reads the shared cache once."""
    token = _request_generation.set([])
    try:
        yield
    finally:
        _request_generation.reset(token)


def _bump():
    # A new random value, never a counter: an evicted generation key can never bring old
    # pages back.
    value = uuid.uuid4().hex
    _cache().set(GENERATION_KEY, value, timeout=None)
    memo = _request_generation.get()
    if memo is not None:  # what this request writes, it reads back at once
        memo[:] = [value]


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
    """Whether Django's messages hold something for this visitor: in their cookie, or in the
    session, which is read only if the visitor has one (so this runs before the session
    middleware too)."""
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


@lru_cache(maxsize=4096)
def _routed_to_cached_view(urlconf, path_info):
    try:
        return resolve(path_info, urlconf).url_name in CACHED_VIEWS
    except Resolver404:
        return False


def routed_to_cached_view(request):
    """Whether `request`'s path goes to one of CACHED_VIEWS (a health check, the admin or a
    static file never look at the page cache), as Django's routing says, remembered."""
    return _routed_to_cached_view(settings.ROOT_URLCONF, request.path_info)


def page_key(request, language):
    """The key of the page `request` asks for in `language`: scheme, host (validated: a
    forged host raises DisallowedHost) and full path, under the current generation."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return ":".join(
        ("page-cache", generation(), language, hashlib.sha256(address.encode()).hexdigest())
    )


def answer_from_cache(request, entry):
    """The response for `entry`, and what runs after a page is served (view counting)."""
    response = HttpResponse(entry["content"], headers=entry["headers"])
    response["X-Cache"] = "HIT"
    request.page_view = entry["page_view"]
    served_from_cache.send(sender=PageCacheMiddleware, request=request, response=response)
    return response


def store(request, response):
    """Keep `response` if PageCacheMiddleware said it may be kept (`page_cache_timeout`), as
    it leaves Django: with the headers of every middleware, none of the visitor's cookies."""
    timeout = getattr(response, "page_cache_timeout", None)
    if timeout is None:
        return
    if response.cookies:
        response["X-Cache"] = "BYPASS"
        return
    entry = {
        "content": response.content,
        "headers": {
            name: value
            for name, value in response.items()
            if name.lower() not in PER_RESPONSE_HEADERS
        },
        "page_view": getattr(request, "page_view", None),
        "expires": time.time() + timeout,
    }
    key = request.page_cache_key
    _cache().set(key, entry, timeout)
    _keep(key, entry)


class PageCacheMiddleware:
    """After the authentication and message middleware, so that it knows who asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _expiries.set([])
        try:
            response = self.get_response(request)
            key = getattr(request, "page_cache_key", None)
            if key is not None:
                response["X-Cache"] = "MISS"
                self._may_keep(request, response)
            elif getattr(request, "page_cache_private", False):
                # A signed-in user's page has their user bar: no shared cache may keep it.
                patch_cache_control(response, private=True)
            return response
        finally:
            _expiries.reset(token)

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
        key = page_key(request, translation.get_language())
        entry = read(key)
        if entry is None:
            if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                request.page_cache_key = key
            return None
        return answer_from_cache(request, entry)

    def _may_keep(self, request, response):
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
        response.page_cache_timeout = timeout  # kept by FrontPageCacheMiddleware

    def _timeout(self):
        now = timezone.now()
        midnight = next_midnight(now)
        if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
            return 0
        moments = [moment() if callable(moment) else moment for moment in _expiries.get()]
        until = min(moment for moment in [midnight, *moments] if moment is not None)
        return min(settings.PORTAL_PAGE_CACHE_SECONDS, int((until - now).total_seconds()))


def read(key):
    """The page kept under `key`, unless expired: from this process's own copies if it has it."""
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
    the sites, the images, the search promotions and the pages' view restrictions."""
    from django.apps import apps

    senders = [
        model
        for model in apps.get_models()
        if model._meta.app_label in PUBLIC_APPS or issubclass(model, Page)
    ]
    # A page's view restriction: a page made private leaves the cache at once.
    senders += [Site, get_image_model(), SearchPromotion, PageViewRestriction]
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
