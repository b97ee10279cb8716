"""Settings read from the environment (portal/settings/env.py) and the production settings."""

import os
import secrets
import string
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ImproperlyConfigured
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

from portal.settings.env import (
    database_from_url,
    env,
    env_bool,
    env_float,
    env_int,
    env_list,
)
from tests import timetravel
from tests.builders import admin_login

# Variables the production settings read, and DJANGO_ALLOW_ASYNC_UNSAFE (which the browser
# tests set and a deployment never has): unset so that the caller's shell cannot leak in.
PRODUCTION_VARIABLES = [
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "WAGTAILADMIN_BASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "USE_X_FORWARDED_HOST",
    "MEDIA_ROOT",
    "PORTAL_HTTPS",
    "EMAIL_BACKEND",
    "SENTRY_DSN",
    "SENTRY_ENVIRONMENT",
    "SENTRY_TRACES_SAMPLE_RATE",
    "REDIS_URL",
    "PORTAL_S3_BUCKET",
    "PORTAL_S3_ENDPOINT_URL",
    "PORTAL_S3_REGION",
    "PORTAL_S3_ACCESS_KEY_ID",
    "PORTAL_S3_SECRET_ACCESS_KEY",
    "PORTAL_S3_CUSTOM_DOMAIN",
    "PORTAL_FRONTEND_CACHE_URL",
    "PORTAL_CLOUDFLARE_ZONE_ID",
    "PORTAL_CLOUDFLARE_TOKEN",
]


# Environment helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("1", True), (" Yes ", True), ("off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_FLAG", value)

    assert env_bool("PORTAL_FLAG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("PORTAL_FLAG", raising=False)

    assert env_bool("PORTAL_FLAG", default=True) is True


def test_env_bool_refuses_maybe(monkeypatch):
    monkeypatch.setenv("PORTAL_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_FLAG"):
        env_bool("PORTAL_FLAG")


def test_env_int_refuses_a_word(monkeypatch):
    monkeypatch.setenv("PORTAL_NUMBER", "twelve")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_NUMBER"):
        env_int("PORTAL_NUMBER", 12)


def test_env_int_refuses_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("PORTAL_DAYS", "0")

    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PORTAL_DAYS", 30, minimum=1)


def test_required_env_refuses_an_empty_value(monkeypatch):
    monkeypatch.setenv("PORTAL_NEEDED", "")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_NEEDED"):
        env("PORTAL_NEEDED", required=True)


@pytest.mark.parametrize("value", ["often", "1.5"])
def test_env_float_refuses_a_word_or_a_number_out_of_its_range(monkeypatch, value):
    monkeypatch.setenv("PORTAL_RATE", value)

    with pytest.raises(ImproperlyConfigured, match="PORTAL_RATE must be"):
        env_float("PORTAL_RATE", None, minimum=0, maximum=1)


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", " a.example.org, ,b.example.org ")

    assert env_list("PORTAL_HOSTS") == ["a.example.org", "b.example.org"]


def test_database_url_is_split_into_a_postgresql_entry():
    database = database_from_url("postgres://u:p%40ss@host:5433/name?sslmode=require")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "name"
    assert database["USER"] == "u"
    assert database["PASSWORD"] == "p@ss"  # percent-encoded in the URL
    assert database["HOST"] == "host"
    assert database["PORT"] == "5433"
    assert database["OPTIONS"] == {"sslmode": "require"}


def test_database_url_for_mysql_is_refused():
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://u:p@host:3306/name")


@pytest.mark.parametrize("url", ["postgres://u:p@host:5432/", "postgres://u:p@host"])
def test_database_url_without_a_database_name_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="name a database"):
        database_from_url(url)


# Production settings ---------------------------------------------------------------------


def random_secret_key():
    alphabet = string.ascii_letters + string.digits + "!#%()*+-_=^"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def production_environment(tmp_path, **variables):
    """The environment of a process with the production settings and these variables only
    (none of the caller's), its var/ folder in `tmp_path`; a variable set to None is unset."""
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="commerces.example.org",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    environment.update(variables)
    return {k: v for k, v in environment.items() if v is not None}


def run_manage(tmp_path, *args, **variables):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=production_environment(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=random_secret_key()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_manage(tmp_path, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_short_secret_key(tmp_path):
    result = run_manage(tmp_path, "check", SECRET_KEY="too-short")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_settings_refuse_a_bad_boolean(tmp_path):
    result = run_manage(
        tmp_path, "check", SECRET_KEY=random_secret_key(), SECURE_SSL_REDIRECT="maybe"
    )

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_an_empty_boolean_keeps_the_secure_default(monkeypatch):
    # SECURE_SSL_REDIRECT= (empty) must not silently switch the HTTPS redirect off.
    monkeypatch.setenv("PORTAL_FLAG", "")
    assert env_bool("PORTAL_FLAG", default=True) is True


def test_production_settings_send_the_content_security_policy(tmp_path):
    script = (
        "from django.conf import settings; "
        "print('home.csp.PortalCSPMiddleware' in settings.MIDDLEWARE); "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']); "
        "print(getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None))"
    )
    result = run_manage(tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key())

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == ["True", "[\"'self'\"]", "None"]


def test_without_redis_the_renditions_shown_are_not_written_to_the_database(tmp_path):
    # Wagtail writes each rendition a page shows to its rendition cache on every visit.
    script = (
        "from wagtail.images.models import Rendition; print(type(Rendition.cache_backend).__name__)"
    )
    result = run_manage(tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key())

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "LocMemCache"


SENTRY_STATE = (
    "import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(sentry_sdk.is_initialized(), client.options.get('send_default_pii'), "
    "client.options.get('traces_sample_rate'), "
    "[i.identifier for i in client.integrations.values() if i.identifier == 'django'])"
)


def test_production_settings_without_a_sentry_dsn_do_not_start_sentry(tmp_path):
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", SENTRY_STATE, SECRET_KEY=random_secret_key()
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False None None []"


def test_a_sentry_dsn_starts_sentry_without_personal_data_or_traces(tmp_path):
    dsn = "https://public@sentry.example.org/1"
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", SENTRY_STATE, SECRET_KEY=random_secret_key(),
        SENTRY_DSN=dsn,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True False None ['django']"


def test_sentry_traces_only_the_share_of_requests_asked(tmp_path):
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", SENTRY_STATE, SECRET_KEY=random_secret_key(),
        SENTRY_DSN="https://public@sentry.example.org/1", SENTRY_TRACES_SAMPLE_RATE="0.05",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True False 0.05 ['django']"


def test_plain_http_is_for_a_trial_on_one_machine_only(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    secure = run_manage(tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key())
    trial = run_manage(
        tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key(),
        PORTAL_HTTPS="0",
    )  # fmt: skip

    assert secure.stdout.splitlines()[-1] == "True 31536000 True True"
    assert trial.stdout.splitlines()[-1] == "False 0 False False"


# Tokens and avatars ----------------------------------------------------------------------


@pytest.mark.dated
@pytest.mark.django_db
def test_a_password_reset_or_invitation_link_lasts_one_day(baker, moment):
    # Invitations (merchants/applications.py) use the same token as password resets. The
    # token reads the naive local clock: every step on the same (travelled) clock.
    with timetravel.travel(moment):
        token = default_token_generator.make_token(baker)

    with timetravel.travel(moment + timedelta(hours=23, minutes=50)):
        assert default_token_generator.check_token(baker, token)
    with timetravel.travel(moment + timedelta(hours=24, minutes=10)):
        assert not default_token_generator.check_token(baker, token)


@pytest.mark.django_db
def test_staff_avatars_are_never_asked_of_a_third_party(client, baker):
    admin_login(client, baker)

    html = client.get("/admin/").content.decode()

    assert avatar_url(baker) == versioned_static("wagtailadmin/images/default-user-avatar.png")
    assert "gravatar" not in html
    assert "default-user-avatar.png" in html
