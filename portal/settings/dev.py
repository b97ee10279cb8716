from .base import *  # noqa: F403
from .env import env, env_bool

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-secret-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]

# Mail is kept as files under var/mail/ instead of being sent.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405

# Development serves static files straight from the source folders.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Static files are served by runserver / the test client; whitenoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# `make run` serves the demo's catalogue sources on 127.0.0.1 beside the portal.
PORTAL_FETCH_ALLOW_LOOPBACK = env_bool("PORTAL_FETCH_ALLOW_LOOPBACK", True)
