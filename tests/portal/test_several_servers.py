"""Several app servers share one Redis, one object store and one front cache, each switched on
by the environment alone (portal/settings/production.py). The tests start real servers on
loopback (tests/portal/services.py); "another server" is a second process running the
production settings, or a second client of the same Redis or store."""

import importlib
import io
import json
import threading
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import CacheHandler, cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.contrib.frontend_cache import signal_handlers
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from home.forms import rate_limited
from orders.request_list import SESSION_KEY
from portal.settings.env import cache_from_url, frontend_cache_from_env, s3_storage_from_env
from products.models import Availability, Product
from tests import builders
from tests.builders import admin_login
from tests.portal import services
from tests.portal.test_settings import random_secret_key, run_manage

CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"


# Redis: the cache, the rate limits and the sessions ---------------------------------------


@pytest.fixture(scope="session")
def redis_url():
    with services.redis_server() as url:
        yield url


@pytest.fixture
def on_redis(settings, redis_url):
    """This process is an app server with production's Redis settings, on an empty Redis."""
    restart_redis(redis_url)
    settings.CACHES = {"default": cache_from_url(redis_url)}
    settings.SESSION_ENGINE = CACHED_DB_SESSIONS
    return redis_url


def restart_redis(redis_url):
    """What a restart of a Redis that keeps nothing on disk leaves: nothing."""
    services.redis_command(redis_url, "FLUSHALL")


def production_server(tmp_path, code, **variables):
    """Run `code` in another process with the production settings and these environment
    variables; what it prints last, as JSON."""
    script = "import json; from django.conf import settings; " + code
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key(), **variables
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


CACHE_AND_SESSIONS = (
    "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE]))"
)


def test_a_rate_limit_counts_the_hits_of_every_server(on_redis, tmp_path):
    # Three checkouts from one address on the other server, the fourth here: refused.
    code = (
        "from home.forms import rate_limited; from django.core.cache import cache; "
        "cache.set('greeting', 'from the other server'); "
        "print(json.dumps([rate_limited('checkout', '203.0.113.7', 3, 60) for _ in range(3)]))"
    )
    assert production_server(tmp_path, CACHE_AND_SESSIONS, REDIS_URL=on_redis) == [
        "django_redis.cache.RedisCache",
        CACHED_DB_SESSIONS,
    ]
    assert production_server(tmp_path, code, REDIS_URL=on_redis) == [False] * 3

    assert cache.get("greeting") == "from the other server"
    assert rate_limited("checkout", "203.0.113.7", 3, 60) is True
    assert rate_limited("checkout", "198.51.100.2", 3, 60) is False


def test_without_redis_production_keeps_its_cache_and_sessions_in_the_database(tmp_path):
    assert production_server(tmp_path, CACHE_AND_SESSIONS) == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]


@pytest.mark.django_db
def test_a_request_list_is_read_from_redis_by_any_server_and_survives_a_restart(
    on_redis, client, django_assert_num_queries
):
    bakery = builders.shop("Boulangerie Dupont")
    baguette = builders.product(bakery, "Baguette tradition", price="1.30")
    client.post("/ma-demande/ajouter/", {"product": baguette.pk, "quantity": 2})
    session_key = client.cookies["sessionid"].value

    # Another server: a client of its own to the same Redis finds the session there, and
    # reading it costs no query.
    other = CacheHandler({"default": cache_from_url(on_redis)})["default"]
    engine = importlib.import_module(CACHED_DB_SESSIONS)
    assert other.get(engine.KEY_PREFIX + session_key)[SESSION_KEY][str(baguette.pk)]
    with django_assert_num_queries(0):
        assert engine.SessionStore(session_key).load()[SESSION_KEY][str(baguette.pk)]

    # Redis restarts empty: the list is still the resident's, from the database.
    restart_redis(on_redis)
    page = client.get("/ma-demande/").content.decode()

    assert "Baguette tradition" in page


# Object storage: media and renditions ------------------------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint():
    with services.s3_server() as endpoint:
        yield endpoint


def s3_variables(endpoint, bucket):
    return {
        "PORTAL_S3_BUCKET": bucket,
        "PORTAL_S3_ENDPOINT_URL": endpoint,
        "PORTAL_S3_REGION": "eu-west-1",
        "PORTAL_S3_ACCESS_KEY_ID": "portal",
        "PORTAL_S3_SECRET_ACCESS_KEY": "portal-secret",
    }


@pytest.fixture
def on_s3(settings, monkeypatch, s3_endpoint):
    """This process is an app server whose media are in a new bucket of the S3 server, with
    the storage production's settings build from the environment."""
    for name, value in s3_variables(s3_endpoint, f"media-{uuid.uuid4().hex[:12]}").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PORTAL_S3_CUSTOM_DOMAIN", raising=False)
    storage = s3_storage_from_env()
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    bucket = storages["default"].bucket
    bucket.create(CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # The policy README gives: images and their renditions public, nothing else.
    bucket.Policy().put(Policy=json.dumps(public_images_policy(bucket.name)))
    return storage


def public_images_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [
                    f"arn:aws:s3:::{bucket}/original_images/*",
                    f"arn:aws:s3:::{bucket}/images/*",
                ],
            }
        ],
    }


def fetch(url):
    """What a browser gets at `url`: the body, or the HTTP error's status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.code


def png(width, height):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_image_uploaded_on_one_server_and_its_rendition_are_read_by_another(
    on_s3, client, city_editor
):
    admin_login(client, city_editor)
    client.post(
        reverse("wagtailimages:add"),
        {"title": "Vitrine", "file": SimpleUploadedFile("vitrine.png", png(800, 600))},
    )
    image = Image.objects.get(title="Vitrine")
    rendition = image.get_rendition("fill-200x150|format-webp")

    # Another server: a storage of its own, on the same bucket.
    other = storages.create_storage(on_s3)
    with other.open(image.file.name) as original:
        assert PILImage.open(original).size == (800, 600)
    with other.open(rendition.file.name) as made:
        assert PILImage.open(made).size == (200, 150)
    # Nothing on this server's disk; the page links to the store, which serves it.
    assert not (Path(django_settings.MEDIA_ROOT) / rendition.file.name).exists()
    assert PILImage.open(io.BytesIO(fetch(rendition.url))).format == "WEBP"


def test_a_file_never_replaces_another_of_the_same_name(on_s3):
    first = storages["default"].save("documents/tarifs.pdf", ContentFile(b"2025"))
    second = storages["default"].save("documents/tarifs.pdf", ContentFile(b"2026"))

    assert first != second
    assert storages["default"].open(first).read() == b"2025"
    # A product import confirmed twice finds its file gone, as on the disk.
    with pytest.raises(FileNotFoundError):
        storages["default"].open("imports/confirmed.csv")


@pytest.mark.django_db
def test_a_document_is_served_by_the_portal_not_linked_in_the_bucket(on_s3, client):
    document = Document.objects.create(
        title="Tarifs", file=ContentFile(b"%PDF-1.4 tarifs", name="tarifs.pdf")
    )

    response = client.get(document.url)

    # Through Wagtail's view, which checks the collection's privacy first; the bucket keeps
    # documents private.
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tarifs"
    assert fetch(document.file.storage.url(document.file.name)) == 403


def test_production_keeps_media_in_the_bucket_and_lets_pages_show_them(tmp_path, s3_endpoint):
    code = (
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], "
        "settings.WAGTAILDOCS_SERVE_METHOD, "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    backend, serve_method, public_images, admin_images = production_server(
        tmp_path, code, **s3_variables(s3_endpoint, "media")
    )

    assert backend == "storages.backends.s3.S3Storage"
    assert serve_method == "serve_view"
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(s3_endpoint))
    assert origin in public_images
    assert origin in admin_images


def test_production_keeps_media_on_its_disk_without_a_bucket(tmp_path):
    code = (
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )

    assert production_server(tmp_path, code) == [
        "django.core.files.storage.FileSystemStorage",
        ["'self'", "data:"],
    ]


# A front cache (CDN, reverse proxy) purged on publish ----------------------------------------


class PurgeRecorder(BaseHTTPRequestHandler):
    """A caching reverse proxy, as far as purging goes: it notes each PURGE it receives."""

    purged = []

    def do_PURGE(self):
        self.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache(settings, monkeypatch):
    """A reverse proxy on loopback, and the portal configured from the environment to purge
    it, with Wagtail's handlers connected as its app does when production installs it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Recorder", (PurgeRecorder,), {}))
    server.RequestHandlerClass.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PORTAL_FRONTEND_CACHE_URL", f"http://127.0.0.1:{server.server_port}")
    settings.WAGTAILFRONTENDCACHE = frontend_cache_from_env()
    signal_handlers.register_signal_handlers()
    try:
        yield server.RequestHandlerClass.purged
    finally:
        for model in apps.get_models():
            if issubclass(model, Page):
                signal_handlers.page_published.disconnect(
                    signal_handlers.page_published_signal_handler, sender=model
                )
                signal_handlers.page_unpublished.disconnect(
                    signal_handlers.page_unpublished_signal_handler, sender=model
                )
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_publishing_a_shop_purges_its_page_and_its_products_pages(
    bakery, front_cache, django_capture_on_commit_callbacks
):
    # The bakery was published before the front cache was there: nothing purged yet.
    builders.product(bakery, "Baguette tradition")
    bakery.title = "Boulangerie Dupont & fils"

    with django_capture_on_commit_callbacks(execute=True):
        bakery.save_revision().publish()

    host = urlsplit(bakery.get_full_url()).netloc
    assert sorted(front_cache) == [
        (host, bakery.url),
        (host, bakery.url + "baguette-tradition/"),
    ]


@pytest.mark.django_db
def test_unpublishing_a_shop_purges_its_page(
    bakery, front_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bakery.unpublish()

    assert [path for _, path in front_cache] == ["/commerces/boulangerie-dupont/"]


def purged_paths(front_cache):
    return sorted(path for _, path in front_cache)


@pytest.fixture
def baguette_and_croissant(bakery, front_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        products = [builders.product(bakery, name) for name in ("Baguette", "Croissant")]
    front_cache.clear()
    return products


@pytest.mark.django_db
def test_editing_a_product_purges_its_page_its_shops_and_the_home_page(
    bakery, baguette_and_croissant, front_cache, django_capture_on_commit_callbacks
):
    baguette, _ = baguette_and_croissant

    with django_capture_on_commit_callbacks(execute=True):
        baguette.short_description = "Farine du moulin de Valbourg."
        baguette.save()

    assert purged_paths(front_cache) == ["/", bakery.url, bakery.url + "baguette/"]


@pytest.mark.django_db
def test_a_stock_click_on_several_products_purges_each_page_once(
    bakery, baguette_and_croissant, front_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(shop=bakery).set_availability(Availability.OUT_OF_STOCK)
        baguette_and_croissant[0].save()

    assert purged_paths(front_cache) == [
        "/",
        bakery.url,
        bakery.url + "baguette/",
        bakery.url + "croissant/",
    ]


@pytest.mark.django_db
def test_a_change_rolled_back_purges_nothing_and_the_next_one_still_purges(
    bakery, baguette_and_croissant, front_cache, django_capture_on_commit_callbacks
):
    baguette, croissant = baguette_and_croissant

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            baguette.save()
            raise RuntimeError("the import failed")
        croissant.save()

    assert purged_paths(front_cache) == ["/", bakery.url, bakery.url + "croissant/"]


def test_production_installs_the_front_cache_only_when_one_is_configured(tmp_path):
    code = (
        "print(json.dumps(['wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS, "
        "settings.WAGTAILFRONTENDCACHE]))"
    )

    assert production_server(tmp_path, code) == [False, {}]
    installed, caches = production_server(
        tmp_path,
        code,
        PORTAL_FRONTEND_CACHE_URL="http://127.0.0.1:6081",
        PORTAL_CLOUDFLARE_ZONE_ID="zone",
        PORTAL_CLOUDFLARE_TOKEN="token",
    )
    assert installed is True
    assert caches["proxy"]["LOCATION"] == "http://127.0.0.1:6081"
    assert caches["cloudflare"]["ZONEID"] == "zone"


def test_a_cloudflare_zone_without_its_token_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_CLOUDFLARE_ZONE_ID", "zone")
    monkeypatch.delenv("PORTAL_CLOUDFLARE_TOKEN", raising=False)

    with pytest.raises(ImproperlyConfigured, match="PORTAL_CLOUDFLARE_TOKEN"):
        frontend_cache_from_env()
