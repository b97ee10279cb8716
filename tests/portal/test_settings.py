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

from portal.settings.env import database_from_url, env, env_bool, env_int, env_list
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


def run_manage(tmp_path, *args, **variables):
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="commerces.example.org",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    environment.update(variables)
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
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
