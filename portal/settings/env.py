"""Small helpers that read settings from the environment and refuse bad values."""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def env(name, default=None, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_number(name, default, kind=int, minimum=None, maximum=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ImproperlyConfigured(f"{name} must be {what}, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}.")
    return number


def env_int(name, default, minimum=None):
    return env_number(name, default, int, minimum)


def env_float(name, default, minimum=None, maximum=None):
    return env_number(name, default, float, minimum, maximum)


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url):
    """Turn `postgres://user:password@host:port/name?sslmode=require` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// (got {parts.scheme or 'nothing'}://)."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://…/name.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


def cache_from_url(url, key_prefix="portal"):
    """A CACHES entry for the Redis server at `url` (redis://[:password@]host:port/db, or
    rediss:// for TLS), shared by every app server. A server that does not answer fails the
    request within seconds instead of holding a worker: the rate limits must not silently
    let everything through."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// "
            f"(got {parts.scheme or 'nothing'}://)."
        )
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }


def s3_storage_from_env():
    """STORAGES["default"] on S3-compatible object storage when PORTAL_S3_BUCKET is set, else
    None. Public URLs, unsigned (a signed URL expires, and would expire inside a cached
    page), through PORTAL_S3_CUSTOM_DOMAIN (a CDN) when there is one; a file never
    overwrites another of the same name, as on the local disk."""
    bucket = env("PORTAL_S3_BUCKET")
    if not bucket:
        return None
    endpoint = env("PORTAL_S3_ENDPOINT_URL")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env("PORTAL_S3_REGION"),
            "access_key": env("PORTAL_S3_ACCESS_KEY_ID"),
            "secret_key": env("PORTAL_S3_SECRET_ACCESS_KEY"),
            "custom_domain": env("PORTAL_S3_CUSTOM_DOMAIN"),
            # Another provider's endpoint (MinIO, Garage, Scaleway…) names the bucket in
            # the path: one origin for every file, whatever the bucket's name.
            "addressing_style": "path" if endpoint else None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }


def media_origins(storage):
    """The origins the media of an S3 STORAGES entry are served from, for img-src."""
    options = storage["OPTIONS"]
    if options["custom_domain"]:
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket = options["bucket_name"]
    region = options["region_name"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


def frontend_cache_from_env():
    """WAGTAILFRONTENDCACHE: the caches in front of the portal that a publish purges, or {}.

    PORTAL_FRONTEND_CACHE_URL: a reverse proxy (nginx, Varnish) that takes HTTP PURGE
    requests there. PORTAL_CLOUDFLARE_ZONE_ID and PORTAL_CLOUDFLARE_TOKEN: Cloudflare."""
    caches = {}
    proxy = env("PORTAL_FRONTEND_CACHE_URL")
    if proxy:
        if urlsplit(proxy).scheme not in ("http", "https"):
            raise ImproperlyConfigured(
                "PORTAL_FRONTEND_CACHE_URL must start with http:// or https://."
            )
        caches["proxy"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": proxy,
        }
    zone = env("PORTAL_CLOUDFLARE_ZONE_ID")
    token = env("PORTAL_CLOUDFLARE_TOKEN")
    if bool(zone) != bool(token):
        raise ImproperlyConfigured(
            "PORTAL_CLOUDFLARE_ZONE_ID and PORTAL_CLOUDFLARE_TOKEN go together."
        )
    if zone:
        caches["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": zone,
            "BEARER_TOKEN": token,
        }
    return caches
