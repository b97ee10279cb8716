"""What every page of the portal does on each visit, in fewer queries than Wagtail's defaults
and by the same rules."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone, translation
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from . import page_cache

UNTIL_PURGE_SECONDS = 24 * 60 * 60  # a purge replaces it sooner


class ViewRestrictionsInOneQuery:
    """Wagtail checks a page's view restrictions on every visit by reading its ancestors, then
    their restrictions: here one query asks for both. The ancestors' paths are the prefixes of
    the page's own; an alias among them (or the page itself) is restricted as its source page
    is, as in Wagtail."""

    def get_view_restrictions(self):
        if self.__dict__.get("view_restricted") is False:  # asked with the page: none
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()


def view_restricted():
    """Whether a view restriction applies to the page (on it or an ancestor, an alias among
    them restricted as its source page is), as get_view_restrictions reads them: a condition
    asked in the query that reads the page, so that a page without one (most) needs no query
    of its own for them."""
    return Exists(
        PageViewRestriction.objects.filter(
            Q(
                page__path=Substr(OuterRef("path"), 1, Length("page__path")),
                page__alias_of__isnull=True,
            )
            | Q(page__aliases__path=Substr(OuterRef("path"), 1, Length("page__aliases__path")))
        )
    )


def routed_ancestors(page):
    """The pages above `page` that routing read on the way to it, from the site's root page
    down (Wagtail's `route` leaves each parent on its child, where `get_parent()` finds it),
    or None if the chain does not reach a site's root page (a page at depth 2)."""
    ancestors = []
    while (parent := page.__dict__.get("_cached_parent_obj")) is not None:
        ancestors.insert(0, parent)
        page = parent
    if page.depth != 2:
        return None
    return ancestors


def specific_page(page):
    """`page.specific`, with the rows its class names in `served_with` (those each visit of
    the page shows: a shop's neighbourhood, the home page's hero image), what it names in
    `served_annotations()` and whether a view restriction applies to it read in the same
    query, as Wagtail reads it otherwise,
    attributes set on `page` copied over."""
    model = page.specific_class
    served_with = getattr(model, "served_with", ())
    annotations = model.served_annotations() if hasattr(model, "served_annotations") else {}
    if not served_with or isinstance(page, model) or "specific" in page.__dict__:
        return page.specific
    specific = (
        model._default_manager.select_related(*served_with)
        .annotate(view_restricted=view_restricted(), **annotations)
        .get(pk=page.pk)
    )
    for name, value in page.__dict__.items():  # as Page.get_specific
        specific.__dict__.setdefault(name, value)
    page.specific = specific  # cached as Wagtail's `specific` is
    return specific


class RoutesInOneQuery:
    """For a site's root page. Wagtail routes a path one level at a time, two queries each
    (the child by its slug, then its specific page): here the pages of every level are read
    in one query, by their URL paths, and only the last one's specific page after it. A page
    with its own routing (a shop, which serves its products) routes what is left of the
    path, as it would in Wagtail; a missing level is a 404 from the level above it."""

    def route(self, request, path_components):
        if len(path_components) < 2:
            return super().route(request, path_components)
        url_paths = [
            f"{self.url_path}{'/'.join(path_components[:level])}/"
            for level in range(1, len(path_components) + 1)
        ]
        found = {
            page.url_path: page
            for page in Page.objects.descendant_of(self).filter(url_path__in=url_paths)
        }
        parent, used = self, 0
        for url_path in url_paths:
            page = found.get(url_path)
            if page is None or not page.is_child_of(parent):
                break
            page._cached_parent_obj = parent  # as Wagtail's route leaves it
            parent, used = page, used + 1
            if page.specific_class is None or page.specific_class.route is not Page.route:
                break  # its own routing reads the rest
        if parent is self:
            raise Http404
        return specific_page(parent).route(request, path_components[used:])


def in_private_section(path="path"):
    """Wagtail's rule for a private page (a page under a view restriction, or the restricted
    page itself) as a condition of the query that lists the pages:
    `Page.objects.exclude(in_private_section())` is `Page.objects.public()`; `path` names the
    page's path from another model (`shop__path`)."""
    restricted_ancestor = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(path), 1, Length("page__path"))
    )
    return Q(Exists(restricted_ancestor))


class PublicInTheSameQuery(PageQuerySet):
    """`public()` by Wagtail's rule, asked of the database in the query that lists the pages,
    where Wagtail reads every restriction first with a query of its own each time `public()`
    is called."""

    def private_q(self):
        return in_private_section()


PortalPageManager = PageManager.from_queryset(PublicInTheSameQuery)


def until_purge(name, compute):
    """`compute()`'s value, kept in the cache until the page cache's next purge (any write to
    what public pages show, a page published or moved, a site changed): for what many pages
    show and only such a write changes. `name` holds whatever else the value depends on."""
    key = f"{name}:{page_cache.generation()}"
    cache = caches[settings.PORTAL_PAGE_CACHE]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, UNTIL_PURGE_SECONDS)
    return value


def fragment_until_purge(name, request, render):
    """`render()`'s text, a part of the page `request` asks for (its host and full path are in
    the key, which an "Add" form's `next` field shows), in the current language: kept like
    until_purge's values, and no longer than what it shows stays true (the moments told to
    page_cache.expires_at while it renders, such as a shop's "open until 18:30", and the
    next midnight). Each page that reuses it is told that moment too, so a cached page
    holding it expires with it. Only for a shared page: a fragment holds nothing of a
    visitor's own."""
    path = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    key = f"fragment:{name}:{translation.get_language()}:{path}:{page_cache.generation()}"
    cache = caches[settings.PORTAL_PAGE_CACHE]
    now = timezone.now()
    entry = cache.get(key)
    if entry is None or entry["until"] <= now:
        with page_cache.expiries() as moments:
            content = render()
        until = min([page_cache.next_midnight(now), *filter(None, moments)])
        entry = {"content": content, "until": until}
        timeout = min(UNTIL_PURGE_SECONDS, int((until - now).total_seconds()))
        if timeout > 0:
            cache.set(key, entry, timeout)
    page_cache.expires_at(entry["until"])
    return entry["content"]
