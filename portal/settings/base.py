"""Settings shared by every environment. No secret lives here and DEBUG stays off."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .env import database_from_url, env, env_bool, env_int

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("PORTAL_VAR_DIR", BASE_DIR / "var"))

DEBUG = False

INSTALLED_APPS = [
    "home",
    "merchants",
    "products",
    "catalogue",
    "news",
    "feeds",
    "events",
    "orders",
    "search",
    "notifications",
    "insights",
    "subscriptions",
    "newsletter",
    "collection",
    "courier",
    "operations",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "leaflet",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: its line per request times all the others (operations/middleware.py).
    "operations.middleware.RequestLogMiddleware",
    # Second: keeps public pages as they leave, answers most visitors from them at once.
    "home.middleware.FrontPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "home.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "home.staff_sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "home.middleware.KnownSiteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a refused log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "orders.context_processors.request_list",
                "home.page_cache.shared_page",
            ],
        },
    },
]

# SQLite is the embedded default. The web server and the task worker write at once, so
# the file runs in WAL mode, takes its write lock when a transaction starts (no upgrade
# deadlock) and waits for a busy lock instead of failing with "database is locked".
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            # Each process keeps its connection: opening one runs the PRAGMAs below, and
            # closing the last one checkpoints the WAL file. Measured on a page served from
            # the cache, in one process: 1.65 ms a request with a connection each, 0.38 ms
            # with one kept.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface in French by default, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background tasks: Wagtail 8 enqueues search-index and reference-index updates as tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = env("PORTAL_SITE_NAME", "Portail des commerces")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# "simple": no stemming by PostgreSQL itself. The portal stems and folds accents the same
# way on every database (home/search_text.py), in the index and in the query. Wagtail's
# database backend, which on SQLite ranks by relevance in one pass (search/backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend", "SEARCH_CONFIG": "simple"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# A shop photo needs no more than 40 megapixels; a small file can claim far more (a PNG of
# 11,000 × 11,000 px weighs 117 KB and takes seconds and hundreds of MB to resize). Wagtail
# reads the size from the file's header and refuses it before decoding anything.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The open data API (portal/api.py): at most this many items per page (?limit=).
WAGTAILAPI_LIMIT_MAX = 50

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Portail des commerces <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Checkout submissions allowed per client address and per e-mail address in the window
# (seconds); counted in the default cache, shared by every app server in production.
PORTAL_REQUEST_RATE_LIMIT = env_int("PORTAL_REQUEST_RATE_LIMIT", 10)
PORTAL_REQUEST_RATE_WINDOW = env_int("PORTAL_REQUEST_RATE_WINDOW", 3600)
# Number of reverse proxies in front of the portal that append to X-Forwarded-For (0: none,
# the client address is REMOTE_ADDR).
PORTAL_TRUSTED_PROXIES = env_int("PORTAL_TRUSTED_PROXIES", 0)

# Anonymous visitors' pages are served from this cache (home/page_cache.py) for at most
# this many seconds; any change to what they show forgets them at once.
PORTAL_PAGE_CACHE = "default"
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 600, minimum=0)

# How many shops a page of the shop index shows.
PORTAL_SHOPS_PER_PAGE = env_int("PORTAL_SHOPS_PER_PAGE", 12)

CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
# Public forms that a refused token re-shows for the visitor to confirm (home/views.py):
# harmless actions only, never one that sends, changes an account or the admin.
PORTAL_CSRF_CONFIRMABLE_URLS = ["orders:add", "set_language"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Hardening: Content-Security-Policy, staff sessions, tokens, avatars ---------------------
# Content-Security-Policy (django-csp 4, home/csp.py), enforced, in every environment. The
# public site: every script and stylesheet comes from the portal itself, no inline code, no
# nonce (pages may be cached). The map tiles' origin, derived from PORTAL_MAP_TILE_URL, is
# added to img-src by home/csp.py. No report-only policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The admin (/admin/) has its own, looser policy, chosen by path in home/csp.py: Wagtail 8
# still renders inline scripts (37 in a shop page's editor: inline panels, the date-time
# widget, choosers…) and style attributes. Image uploads are previewed from blob: URLs; the
# page preview is shown in a frame of the admin itself.
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Staff (anyone who may enter the admin) are logged out when the browser closes and at the
# latest this many hours after logging in (home/staff_sessions.py). Residents' sessions,
# which hold their request lists, keep Django's defaults.
PORTAL_STAFF_SESSION_HOURS = 12
# Password-reset links, and the invitations of new merchants (the same token), last a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
# No avatar from a third party (Wagtail would send a hash of each staff e-mail address to
# Gravatar): Wagtail's own default picture, or the one the user uploaded.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per request (operations/middleware.py), to the root's console handler.
        "portal.requests": {"level": "INFO"},
    },
}

# Demo data is never created by accident on a live site (see seed_demo).
PORTAL_DEMO_PASSWORD = env("DEMO_PASSWORD", "demo")
PORTAL_ALLOW_DEMO = env_bool("PORTAL_ALLOW_DEMO", False)
# Where `make run` serves the demo shops' catalogue sources (demo/catalogue_server.py).
PORTAL_DEMO_CATALOGUES_URL = env("PORTAL_DEMO_CATALOGUES_URL", "http://127.0.0.1:8001")

# The e-mail outbox (notifications): seconds to wait after each failed attempt. After the
# last delay one more attempt is made (about 22 hours in all), then the e-mail is marked
# failed and the city can resend it from the admin dashboard.
NOTIFICATIONS_RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60, 3 * 3600, 6 * 3600, 12 * 3600]
# How long a sender holds an e-mail it is sending: well above the SMTP timeout.
NOTIFICATIONS_LEASE_SECONDS = 300

# Operations (operations/): the task worker (manage.py run_worker) records a heartbeat
# every PORTAL_WORKER_HEARTBEAT_SECONDS; the health endpoint (/health/) fails when the last
# one is three times older, or when an e-mail of the outbox has been due for more than
# PORTAL_OUTBOX_LATE_MINUTES (the sender runs every minute).
PORTAL_WORKER_HEARTBEAT_SECONDS = env_int("PORTAL_WORKER_HEARTBEAT_SECONDS", 30, minimum=1)
PORTAL_OUTBOX_LATE_MINUTES = env_int("PORTAL_OUTBOX_LATE_MINUTES", 15, minimum=1)
# Serve MEDIA_ROOT from the portal itself (django.views.static.serve): for `make serve`, a
# trial on one machine. A real deployment has the reverse proxy, or object storage, serve
# the media; Django's own view is not built for it.
PORTAL_SERVE_MEDIA = env_bool("PORTAL_SERVE_MEDIA", False)

# Residents' data: the personal data of an order request is anonymised this many months
# after the request is closed (manage.py anonymise_requests, run daily).
PORTAL_ANONYMISE_AFTER_MONTHS = env_int("PORTAL_ANONYMISE_AFTER_MONTHS", 12)

# A request ready for pick-up and still not collected after this many days is flagged to
# its shop in the admin (orders.transitions.overdue_pickups).
PORTAL_NOT_COLLECTED_AFTER_DAYS = env_int("PORTAL_NOT_COLLECTED_AFTER_DAYS", 7)

# A request the shop has not answered after this many hours, and not before the shop has
# been open for a whole day since it was sent, expires (manage.py expire_requests, hourly).
PORTAL_REQUEST_EXPIRES_AFTER_HOURS = env_int("PORTAL_REQUEST_EXPIRES_AFTER_HOURS", 72, minimum=1)

# The town's country (ISO 3166 code), in the shops' schema.org addresses.
PORTAL_COUNTRY_CODE = env("PORTAL_COUNTRY_CODE", "FR")

# Product imports (CSV): files larger than this are refused before they are read.
PORTAL_IMPORT_MAX_BYTES = env_int("PORTAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# …and files of more product lines than this are refused as soon as one more line is read
# (a 5 MB file can hold 250,000 short lines: seconds and hundreds of MB to validate).
PORTAL_IMPORT_MAX_ROWS = env_int("PORTAL_IMPORT_MAX_ROWS", 5000, minimum=1)

# Catalogue sources (catalogue/fetching.py): seconds to connect and for each read (the
# whole fetch, redirects included, ends after four times that), and the largest answer
# read, after gzip decoding. Loopback addresses (127.0.0.0/8, ::1) are refused like every
# private one unless PORTAL_FETCH_ALLOW_LOOPBACK is on: for a till bridge on this machine.
PORTAL_FETCH_TIMEOUT = env_int("PORTAL_FETCH_TIMEOUT", 15, minimum=1)
PORTAL_FETCH_MAX_BYTES = env_int("PORTAL_FETCH_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
PORTAL_FETCH_ALLOW_LOOPBACK = env_bool("PORTAL_FETCH_ALLOW_LOOPBACK", False)

# Maps: django-leaflet's own copy of Leaflet, OpenStreetMap tiles unless another tile server
# (and the attribution its terms require) is set. Maps only add to the list of shops and
# their addresses: PORTAL_MAPS_ENABLED=0 removes every map, public and admin.
PORTAL_MAPS_ENABLED = env_bool("PORTAL_MAPS_ENABLED", True)
LEAFLET_CONFIG = {
    "TILES": [
        (
            "OpenStreetMap",
            env("PORTAL_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            {
                "attribution": env(
                    "PORTAL_MAP_ATTRIBUTION",
                    '&copy; <a href="https://www.openstreetmap.org/copyright">'
                    "OpenStreetMap</a> contributors",
                ),
                "maxZoom": 19,
                # OpenStreetMap refuses tiles asked without a Referer, and
                # SECURE_REFERRER_POLICY sends none to other sites: send the origin.
                "referrerPolicy": "strict-origin",
            },
        )
    ],
}

# Statistics (insights/): counting page views and visit intents costs a page no database
# write; each web process adds its counts to the database every
# PORTAL_COUNTS_FLUSH_SECONDS and when it exits.
PORTAL_COUNTING_ENABLED = env_bool("PORTAL_COUNTING_ENABLED", True)
PORTAL_COUNTS_FLUSH_SECONDS = env_int("PORTAL_COUNTS_FLUSH_SECONDS", 60, minimum=1)
# A click on a shop's phone, directions, website… (per kind and page), and a search (per
# query), count once per visitor in this many seconds; an address's clicks, and apart its
# searches, beyond PORTAL_STATS_RATE_LIMIT an hour are not counted (a school or a mobile
# network puts many residents behind one address).
PORTAL_STATS_WINDOW = env_int("PORTAL_STATS_WINDOW", 30 * 60, minimum=1)
PORTAL_STATS_RATE_LIMIT = env_int("PORTAL_STATS_RATE_LIMIT", 120, minimum=1)

# Following shops (subscriptions/): a confirmation link works this many days; a client may
# send this many follow forms an hour, and an address gets at most this many confirmation
# e-mails a day.
PORTAL_FOLLOW_CONFIRM_DAYS = env_int("PORTAL_FOLLOW_CONFIRM_DAYS", 7, minimum=1)
PORTAL_FOLLOW_CLIENT_LIMIT = env_int("PORTAL_FOLLOW_CLIENT_LIMIT", 10, minimum=1)
PORTAL_FOLLOW_ADDRESS_LIMIT = env_int("PORTAL_FOLLOW_ADDRESS_LIMIT", 5, minimum=1)

# The city's newsletter (newsletter/): e-mails put in the outbox per batch, and the seconds
# between two batches, whatever the cron's frequency.
PORTAL_NEWSLETTER_BATCH_SIZE = env_int("PORTAL_NEWSLETTER_BATCH_SIZE", 200, minimum=1)
PORTAL_NEWSLETTER_BATCH_INTERVAL = env_int("PORTAL_NEWSLETTER_BATCH_INTERVAL", 300, minimum=0)
# A shop not updated for this many days is "stale": reminded, and listed after the others.
PORTAL_STALE_AFTER_DAYS = env_int("PORTAL_STALE_AFTER_DAYS", 30, minimum=1)
# A request still new after this many hours: a reminder to the shop, then a copy to the city.
PORTAL_UNANSWERED_REMINDER_HOURS = env_int("PORTAL_UNANSWERED_REMINDER_HOURS", 24, minimum=1)
PORTAL_UNANSWERED_CITY_HOURS = env_int("PORTAL_UNANSWERED_CITY_HOURS", 48, minimum=1)

# Signing in to the admin (merchants/sign_in.py): protection against password guessing.
# django-axes counts failed log-ins per account at an address and per address, never per
# account alone (anyone could then lock a merchant out by typing its name). Five failures
# lock that account at that address: someone who forgot a password tries a few times, then
# asks for a new one. Twenty failures, whatever the accounts, lock the address: guessing
# many accounts' passwords stops too, while a town hall where every computer shares one
# address does not lock itself out because one person mistyped. A lock-out ends 15 minutes
# after the last counted failure (failures during a lock-out are not counted, so the end is
# predictable): guessing stays far too slow to succeed, and a merchant locked out on a
# Saturday need not wait for the city to lift it on Monday. A city editor can lift it at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "merchants.sign_in.LoginFailures"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # in this order
AXES_FAILURE_LIMIT = 5  # per account at an address
PORTAL_LOGIN_ADDRESS_FAILURE_LIMIT = 20  # per address, whatever the accounts
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "merchants.sign_in.client_address"  # PORTAL_TRUSTED_PROXIES
AXES_LOCKOUT_CALLABLE = "merchants.sign_in.locked_out"  # a French page in the admin's look
# No record of successful log-ins (axes would keep each one, address and browser, forever);
# failures are kept for the cool-off only.
AXES_DISABLE_ACCESS_LOG = True
# Mails that let someone into an account: password resets, per e-mail address and per
# client address, and invitations, per e-mail address, at most this many in the window
# (seconds). Past it the visitor gets the usual answer and no mail is sent.
PORTAL_ACCOUNT_MAIL_LIMIT = env_int("PORTAL_ACCOUNT_MAIL_LIMIT", 3, minimum=1)
PORTAL_ACCOUNT_MAIL_WINDOW = env_int("PORTAL_ACCOUNT_MAIL_WINDOW", 3600, minimum=1)
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "merchants.sign_in.LimitedPasswordResetForm"
# Lock-outs, lifted lock-outs and mails not sent, in the server's log.
LOGGING["loggers"]["portal.security"] = {
    "handlers": ["console"],
    "level": "INFO",
    "propagate": False,
}
