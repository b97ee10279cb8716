import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Static files are served by runserver / the test client; whitenoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# The test suite builds its own database; checks run outside pytest (makemigrations
# --check) need no file on disk either.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405

# Counts stay in the process's buffer until a test flushes them: no background writer
# thread adding rows between tests.
PORTAL_COUNTS_FLUSH_SECONDS = 0

# The tests' catalogue sources are served on 127.0.0.1 (tests/catalogue/servers.py).
PORTAL_FETCH_ALLOW_LOOPBACK = True

# No line per request in the tests' output; tests/operations/test_request_log.py turns it on.
LOGGING["loggers"]["portal.requests"]["level"] = "WARNING"  # noqa: F405
