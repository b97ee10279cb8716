from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from merchants import admin_guards
from operations import views as operations_views
from search import views as search_views

urlpatterns = [
    # Before Wagtail's admin: the few of its views kept for the city (merchants/admin_guards.py).
    path("", include(admin_guards)),
    path("health/", operations_views.health, name="health"),  # for the load balancer
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("recherche/", search_views.old_search_address),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    re_path(
        r"^brand/(?P<colour>[0-9a-f]{6})\.css$",
        home_views.brand_stylesheet,
        name="brand_stylesheet",
    ),
    path("ma-demande/", include("orders.urls")),
    path("inscrire-mon-commerce/", include("merchants.urls")),
    path("api/v2/", include("portal.api")),  # the open data API, read-only
    path("statistiques/", include("insights.urls")),
    path("flux/", include("feeds.urls")),  # product feeds for Google, Meta and feed readers
    path("suivre/", include("subscriptions.urls")),  # follow, back-in-stock alerts
    path("calendrier/", include("events.urls")),  # the town's events as iCalendar files
    path("lettre/", include("newsletter.urls")),  # the newsletter's one-click unsubscribe
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.DEBUG or settings.PORTAL_SERVE_MEDIA:
    # django.conf.urls.static.static() gives nothing with DEBUG off: `make serve` runs the
    # production settings, so the route is written out (PORTAL_SERVE_MEDIA, base.py).
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
