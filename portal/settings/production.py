"""Production settings: everything comes from the environment (see README)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import (
    cache_from_url,
    env,
    env_bool,
    env_float,
    env_int,
    env_list,
    frontend_cache_from_env,
    media_origins,
    s3_storage_from_env,
)

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the site's host, e.g. commerces.example.be."
    )
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS]
)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# HTTPS is terminated by the reverse proxy, which says so in X-Forwarded-Proto.
# PORTAL_HTTPS=0 serves plain HTTP (no redirect, no HSTS, cookies sent without HTTPS):
# only for `make serve`, a trial on 127.0.0.1.
PORTAL_HTTPS = env_bool("PORTAL_HTTPS", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = PORTAL_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer asks each app server directly, in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if PORTAL_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = PORTAL_HTTPS
CSRF_COOKIE_SECURE = PORTAL_HTTPS
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# SMTP; `make serve` writes each message as a file under var/mail/ instead.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# Several app servers (README, "Production topology"): each piece below is switched on by
# its variables alone.

# The cache holds the rate limits, the first-visit marks of the statistics and the
# import confirmations: one cache for every server. Redis when REDIS_URL is set, else a
# table of the database (createcachetable).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": cache_from_url(REDIS_URL)}
    # Sessions are read from Redis (no query per request) and written through to the
    # database: a resident's request list and a merchant's log-in survive a restart or an
    # eviction of Redis, which keeps nothing on disk.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        },
        # Wagtail writes each rendition a page shows to this cache on every visit, a write
        # transaction in the table above: each process keeps them in its memory instead.
        # A rendition's key names its image's file and focal point, so an edited image
        # gets new entries; an entry is kept 5 minutes at the most.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Media (uploaded images, their renditions, documents, imports awaiting confirmation) on
# S3-compatible object storage when PORTAL_S3_BUCKET is set, so that every server sees the
# files another one wrote; static files stay with whitenoise.
S3_STORAGE = s3_storage_from_env()
if S3_STORAGE:
    STORAGES["default"] = S3_STORAGE  # noqa: F405
    # Documents go through Wagtail's view, which checks their collection's privacy before
    # it streams the file: the bucket need not (and must not) make documents/ public.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
    for policy in (CONTENT_SECURITY_POLICY, PORTAL_ADMIN_CONTENT_SECURITY_POLICY):  # noqa: F405
        policy["DIRECTIVES"]["img-src"] = [
            *policy["DIRECTIVES"]["img-src"],
            *media_origins(S3_STORAGE),
        ]

# A CDN or a caching reverse proxy in front of the servers: a page published or unpublished
# is purged from it (a task of the worker). Nothing configured, nothing installed.
WAGTAILFRONTENDCACHE = frontend_cache_from_env()
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405

# Errors (and, if SENTRY_TRACES_SAMPLE_RATE is set, that share of requests' timings) to
# Sentry when SENTRY_DSN is set; without it nothing is loaded. No personal data is sent:
# no cookies, no user, no client address.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", None, minimum=0, maximum=1),
    )
