"""Two app servers behind a load balancer, as README's "Production topology" draws them:
two gunicorns (production settings, 2 sync workers each) on two loopback ports, nginx
sharing the requests between them in turn, one PostgreSQL database, one Redis and one
S3-compatible store (moto's server). Everything is started here and stopped after.

What a resident or an editor does on one server must hold on the other: a request list,
the page cache and its purge, the rate limits, renditions, page-view counts.

`make test-multiserver` (and .ci/run) runs this module; `make test` leaves it out (marker
`multiserver`), as it needs nginx, Redis and a PostgreSQL server and takes a minute. A
missing one skips it with a reason, or fails it under PORTAL_REQUIRE_SERVICES=1.
"""

import json
import os
import re
import secrets
import shutil
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import (
    HTTPCookieProcessor,
    HTTPRedirectHandler,
    Request,
    build_opener,
    urlopen,
)

import pytest
from django.conf import settings

from tests.multiserver.seed import ADMIN
from tests.portal import services
from tests.portal.test_settings import production_environment, run_manage
from tests.portal.test_several_servers import public_images_policy, s3_variables

pytestmark = pytest.mark.multiserver

HOST = "127.0.0.1"  # the Host every request names, whichever server it reaches
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
COUNTS_TIMEOUT = 20  # seconds; each web process writes its counts every second here


# The town: services, database, two servers and the load balancer ---------------------------


def nginx_executable():
    # Debian puts it in /usr/sbin, which is not on every user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def postgres_connection(url):
    """A connection to `url`'s server, in autocommit (CREATE DATABASE needs it), or None."""
    import psycopg

    address = urlsplit(url)
    try:
        return psycopg.connect(
            host=address.hostname,
            port=address.port or 5432,
            user=address.username,
            password=address.password,
            dbname=address.path.lstrip("/") or "postgres",
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.OperationalError:
        return None


@contextmanager
def throwaway_database():
    """A database of its own on DATABASE_URL's server (the local `portal` role by default,
    which has CREATEDB), dropped at the end; yields its URL."""
    server = os.environ.get("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal")
    admin = postgres_connection(server)
    address = urlsplit(server)
    services.require(admin, f"no PostgreSQL server answers at {address.hostname}:{address.port}")
    name = f"multiserver_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(address._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(folder, *args, **variables):
    result = run_manage(folder, *args, **variables)
    assert result.returncode == 0, f"manage.py {args[0]}: {result.stderr[-3000:]}"
    return result.stdout


def answers(url):
    """Whether a server answers at `url`, whatever it answers."""
    try:
        with urlopen(Request(url, headers={"Host": HOST}), timeout=2):
            return True
    except HTTPError:
        return True
    except (URLError, OSError):
        return False


def started(command, url, name, environment, log):
    """Run `command` until the block ends, once `url` answers; its output goes to `log`."""
    return services.running(
        command,
        lambda: answers(url),
        name,
        log=log,
        stop_timeout=30,
        cwd=settings.BASE_DIR,
        env=environment,
    )


NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Round robin, the default: one request to each server in turn.
    upstream portal {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # Pages are kept in memory, never in files the workers may not write.
            proxy_max_temp_file_size 0;
            # Which server answered, for the test to see.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    nginx = nginx_executable()
    services.require(nginx, "nginx is not installed (apt-get install nginx)")
    folder = tmp_path_factory.mktemp("multiserver")
    with ExitStack() as stack:
        redis_url = stack.enter_context(services.redis_server())
        s3_endpoint = stack.enter_context(services.s3_server())
        database_url = stack.enter_context(throwaway_database())

        bucket = "media"
        s3 = s3_variables(s3_endpoint, bucket)
        create_public_bucket(s3)
        variables = {
            **s3,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "PORTAL_HTTPS": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "WEB_CONCURRENCY": "2",
            "PORTAL_COUNTS_FLUSH_SECONDS": "1",
            "PORTAL_REQUEST_RATE_LIMIT": "3",
        }
        setup = folder / "setup"
        manage(setup, "migrate", "--noinput", **variables)
        manage(setup, "collectstatic", "--noinput", "--verbosity", "0", **variables)
        seed = "from tests.multiserver.seed import main; main()"
        seeded = json.loads(
            manage(setup, "shell", "-v", "0", "-c", seed, **variables).splitlines()[-1]
        )

        servers = []
        for name in ("a", "b"):
            # Each server has a disk of its own, as two machines would: only the static
            # files, the same on every machine, are there. What one server writes reaches
            # the other through the shared services or not at all.
            disk = folder / f"server-{name}"
            disk.mkdir()
            (disk / "static").symlink_to(setup / "static")
            port = services.free_port()
            url = f"http://127.0.0.1:{port}"
            command = [sys.executable, "-m", "gunicorn", "--config", "portal/gunicorn.conf.py"]
            stack.enter_context(
                started(
                    [*command, "portal.wsgi"],
                    f"{url}/robots.txt",
                    f"gunicorn {name}",
                    production_environment(disk, **variables, PORTAL_BIND=f"127.0.0.1:{port}"),
                    folder / f"gunicorn-{name}.log",
                )
            )
            servers.append(url)

        port = services.free_port()
        prefix = folder / "nginx"
        prefix.mkdir()
        a, b = (urlsplit(url).port for url in servers)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=prefix, a=a, b=b, port=port))
        balancer = f"http://127.0.0.1:{port}"
        stack.enter_context(
            started(
                [nginx, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
                f"{balancer}/robots.txt",
                "nginx",
                None,
                prefix / "nginx.log",
            )
        )

        yield Town(servers, balancer, database_url, s3_endpoint, bucket, seeded)


def create_public_bucket(variables):
    import boto3

    s3 = boto3.resource(
        "s3",
        endpoint_url=variables["PORTAL_S3_ENDPOINT_URL"],
        region_name=variables["PORTAL_S3_REGION"],
        aws_access_key_id=variables["PORTAL_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=variables["PORTAL_S3_SECRET_ACCESS_KEY"],
    )
    bucket = s3.Bucket(variables["PORTAL_S3_BUCKET"])
    bucket.create(CreateBucketConfiguration={"LocationConstraint": variables["PORTAL_S3_REGION"]})
    bucket.Policy().put(Policy=json.dumps(public_images_policy(bucket.name)))


class Town:
    def __init__(self, servers, balancer, database_url, s3_endpoint, bucket, seeded):
        self.a, self.b = servers
        self.balancer = balancer
        self.database_url = database_url
        self.media = f"{s3_endpoint}/{bucket}/"
        self.seeded = seeded

    def sql(self, query, *parameters):
        """The first column of the first row `query` gives, read in the shared database."""
        with postgres_connection(self.database_url) as connection:
            return connection.execute(query, parameters).fetchone()[0]


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: its cookies go with it to whichever server it asks."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects)

    def open(self, server, path, data=None):
        headers = {"Host": HOST, "User-Agent": BROWSER}
        if data is not None:
            token = self.cookie("csrftoken")
            data = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
            headers["X-CSRFToken"] = token
        try:
            response = self.opener.open(Request(server + path, data, headers), timeout=30)
        except HTTPError as error:
            response = error
        with response:
            return Answer(response.status, response.headers, response.read().decode())

    def get(self, server, path):
        return self.open(server, path)

    def post(self, server, path, data):
        return self.open(server, path, data)

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), "")


class Answer:
    def __init__(self, status, headers, text):
        self.status, self.headers, self.text = status, headers, text

    @property
    def location(self):
        return urlsplit(self.headers["Location"]).path


# What must hold across the servers ---------------------------------------------------------


def test_the_load_balancer_sends_requests_to_both_servers_in_turn(town):
    answered = [Browser().get(town.balancer, "/robots.txt") for _ in range(4)]

    assert [answer.status for answer in answered] == [200] * 4
    upstreams = [answer.headers["X-Upstream"] for answer in answered]
    assert set(upstreams) == {urlsplit(town.a).netloc, urlsplit(town.b).netloc}
    assert upstreams[0] != upstreams[1]


def test_a_checkout_begun_on_one_server_is_finished_on_the_other(town):
    resident, bakery = Browser(), town.seeded["bakery"]
    assert resident.get(town.a, "/ma-demande/").status == 200  # its CSRF cookie
    added = resident.post(
        town.a, "/ma-demande/ajouter/", {"product": town.seeded["baguette"], "quantity": 2}
    )
    assert added.status == 302

    # The request list, kept in the session, is in Redis for the other server to read.
    details = resident.get(town.b, "/ma-demande/coordonnees/")
    assert details.status == 200
    assert "Baguette tradition" in details.text
    sent = resident.post(
        town.b,
        "/ma-demande/coordonnees/",
        {
            "name": "Marie Dubois",
            "email": "marie.dubois@example.org",
            "phone": "0470 12 34 56",
            "street_address": "Rue Haute 3",
            "postcode": "7000",
            "town": "Valbourg",
            "consent": "on",
            f"shop_{bakery}_fulfilment": "pickup",
        },
    )
    assert (sent.status, sent.location) == (302, "/ma-demande/verifier/")
    review = resident.get(town.a, "/ma-demande/verifier/")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.text).group(1)
    confirmed = resident.post(town.b, "/ma-demande/verifier/", {"idempotency_key": key})

    assert confirmed.status == 302
    assert confirmed.location.startswith("/ma-demande/merci/")
    assert "Boulangerie Dupont" in resident.get(town.a, confirmed.location).text
    assert (
        town.sql(
            "SELECT count(*) FROM orders_orderrequest WHERE email = %s AND shop_id = %s",
            "marie.dubois@example.org",
            bakery,
        )
        == 1
    )


def test_a_publish_on_one_server_purges_the_cached_page_on_both(town):
    resident, path = Browser(), town.seeded["florist_url"]
    assert resident.get(town.a, path).headers["X-Cache"] == "MISS"
    # One cache for both: the other server serves what the first one kept.
    before = resident.get(town.b, path)
    assert before.headers["X-Cache"] == "HIT"
    assert "Fleurs Martin &amp; fils" not in before.text

    editor = Browser()
    assert editor.get(town.a, "/admin/login/").status == 200
    signed_in = editor.post(town.a, "/admin/login/", {"username": ADMIN[0], "password": ADMIN[1]})
    assert signed_in.status == 302
    published = editor.post(
        town.a,
        f"/admin/bulk/wagtailcore/page/publish/?id={town.seeded['florist']}&next=/admin/",
        {},
    )
    assert published.status == 302

    after = resident.get(town.b, path)
    assert after.headers["X-Cache"] == "MISS"
    assert "Fleurs Martin &amp; fils" in after.text
    again = resident.get(town.a, path)
    assert again.headers["X-Cache"] == "HIT"
    assert "Fleurs Martin &amp; fils" in again.text


def test_the_rate_limit_counts_the_forms_sent_to_both_servers(town):
    # PORTAL_REQUEST_RATE_LIMIT is 3 here: three applications from one address, to either
    # server, then the fourth is refused, whichever server it reaches.
    answered = []
    for number, server in enumerate([town.a, town.b, town.a, town.b]):
        shopkeeper = Browser()
        assert shopkeeper.get(server, "/inscrire-mon-commerce/").status == 200
        answered.append(
            shopkeeper.post(
                server,
                "/inscrire-mon-commerce/",
                {
                    "shop_name": f"Épicerie {number}",
                    "contact_name": "Paul Lambert",
                    "email": f"epicerie{number}@example.org",
                    "phone": "0470 98 76 54",
                    "street_address": "Grand-Place 1",
                    "postcode": "7000",
                    "town": "Valbourg",
                    "consent": "on",
                },
            )
        )

    assert [answer.status for answer in answered] == [302, 302, 302, 400]
    assert "Trop de candidatures depuis cette connexion" in answered[-1].text
    assert town.sql("SELECT count(*) FROM merchants_merchantapplication") == 3


def test_a_rendition_made_by_one_server_is_served_by_the_other(town):
    resident, path, image = Browser(), town.seeded["tart_url"], town.seeded["tart_image"]
    count_renditions = "SELECT count(*) FROM wagtailimages_rendition WHERE image_id = %s"
    assert town.sql(count_renditions, image) == 0
    # Two addresses of one page, so that the second server renders it rather than take
    # the first one's from the cache.
    first = resident.get(town.a, path + "?de=a")
    made = town.sql(count_renditions, image)
    second = resident.get(town.b, path + "?de=b")

    assert [first.headers["X-Cache"], second.headers["X-Cache"]] == ["MISS", "MISS"]
    urls = set(re.findall(re.escape(town.media) + r"images/[^\"'\s,]+", first.text))
    assert made > 0
    assert urls
    # The second server found the first one's renditions and made none of its own.
    assert set(re.findall(re.escape(town.media) + r"images/[^\"'\s,]+", second.text)) == urls
    assert town.sql(count_renditions, image) == made
    for url in urls:
        with urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("image/")


def test_page_views_counted_by_both_servers_add_up(town):
    resident, path = Browser(), town.seeded["croissant_url"]
    views = "SELECT coalesce(sum(count), 0) FROM insights_dailycount WHERE product_id = %s"
    product = town.seeded["croissant"]
    assert town.sql(views, product) == 0

    answered = [resident.get(town.balancer, path) for _ in range(6)]

    assert [answer.status for answer in answered] == [200] * 6
    assert len({answer.headers["X-Upstream"] for answer in answered}) == 2
    # From the cache too, after the first.
    assert [answer.headers["X-Cache"] for answer in answered].count("HIT") >= 4
    deadline = time.monotonic() + COUNTS_TIMEOUT
    while town.sql(views, product) < 6 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert town.sql(views, product) == 6
