import pickle

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from wagtail.models import Site

from . import page_cache
from .models import PortalSettings
from .pages import specific_page


def visitor_language(request):
    """French unless the visitor chose another language with the footer's switch.

    The town's content is written in French, so a browser that merely prefers English
    would get an English frame around French text; the language cookie set by the
    switch (Django's set_language view) is the only way to change the interface.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class PortalLocaleMiddleware(LocaleMiddleware):
    """Activates visitor_language()."""

    def process_request(self, request):
        translation.activate(visitor_language(request))
        request.LANGUAGE_CODE = translation.get_language()


class FrontPageCacheMiddleware:
    """Right after the request log, before every other middleware.

    Keeps the pages PageCacheMiddleware said may be kept, as they leave Django: with the
    security, CSP, language and cache headers the other middleware add. Answers a visitor
    without a session cookie (so anonymous, with no message waiting, which a cookie would
    carry) from the cache at once: one look-up of the generation in the shared cache, the
    page from this process's copies, the view counted. Everyone else (a resident with a
    request list, staff) goes through the whole chain, where PageCacheMiddleware answers the
    anonymous ones from the same pages. The key holds the scheme and the validated host: a
    page is only ever kept for a request that went through the whole chain (the redirect
    to HTTPS, the allowed hosts), so an answer here is the one that chain gave."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with page_cache.one_generation():
            response = self._hit(request)
            if response is None:
                response = self.get_response(request)
                page_cache.store(request, response)
            return response

    @staticmethod
    def _hit(request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.PORTAL_PAGE_CACHE_SECONDS <= 0
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or page_cache.messages_waiting(request)  # without a session: in the cookie only
            or not page_cache.routed_to_cached_view(request)
        ):
            return None
        try:
            key = page_cache.page_key(request, visitor_language(request))
        except DisallowedHost:
            return None  # the whole chain answers it (400)
        entry = page_cache.read(key)
        return None if entry is None else page_cache.answer_from_cache(request, entry)


class KnownSiteMiddleware:
    """Wagtail reads the site a request is for (with its root page), the root page's own
    fields (here with the rows it is served with: home.pages.specific_page), the portal's
    settings for that site and the sites' root paths (from the cache) on every visit of a
    public page: four queries with the database cache, for rows that change only with a
    write that purges the page cache (a site, a setting, a page published). Each process
    keeps them per host, port and view until the next purge, and gives each request its own
    copy (Wagtail leaves the request on the settings, and a page may be given attributes
    while it is served). After the page cache's middleware: a page served from the cache
    needs none of them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.generation = None
        self.known = {}

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or request.resolver_match.url_name not in page_cache.CACHED_VIEWS
            or getattr(request, "is_preview", False)
        ):
            return None
        # Read before the rows, so that what is kept is never older than its generation
        # (another thread may meanwhile keep what it read under another one).
        generation = page_cache.generation()
        known = self.known if generation == self.generation else {}
        view = request.resolver_match.url_name
        key = (split_domain_port(request._get_raw_host())[0], request.get_port(), view)
        if key not in known:
            value = self._read(request, with_root_page=view == "wagtail_serve")
            known[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            self.generation, self.known = generation, known
        site, site_settings, root_paths = pickle.loads(known[key])  # its own copy: ~0.1 ms
        request._wagtail_site = site
        request._wagtail_cached_site_root_paths = root_paths
        if site_settings is not None:
            site_settings._request = request
            setattr(request, PortalSettings.get_cache_attr_name(), site_settings)
        return None

    @staticmethod
    def _read(request, with_root_page):
        site = Site._find_for_request(request)
        root_paths = Site.get_site_root_paths()  # for the pages' URLs
        if site is None:
            return None, None, root_paths
        if with_root_page:  # where Wagtail's routing starts
            specific_page(site.root_page)  # read now, kept with the site
        return site, PortalSettings.for_site(site), root_paths
