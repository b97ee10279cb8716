"""catalogue.fetching against a real server on 127.0.0.1, and against fake resolvers.

No test can reach beyond loopback, even with a broken fetcher: every connection to another
address fails the test, and the other addresses come from fake resolvers."""

import gzip
import socket
import time

import pytest
from django.utils.http import http_date

from catalogue import fetching
from catalogue.fetching import (
    AddressRefused,
    BrokenAnswer,
    ConnectionFailed,
    HTTPStatusError,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    fetch,
)

from .servers import TLS_AUTHORITY, TLS_HOST, CatalogueServer


def _no_connection(*args, **kwargs):
    pytest.fail(f"a connection was attempted: {args}")


@pytest.fixture
def no_connection(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _no_connection)
    monkeypatch.setattr(socket, "create_connection", _no_connection)


@pytest.fixture
def resolver(monkeypatch):
    """Host names of the tests' own: resolver.names["shop.test"] = ["10.1.2.3"]."""

    class Resolver:
        def __init__(self):
            self.names = {}  # a list of answers, or a list of them: one a call
            self.calls = []

        def __call__(self, host, port):
            self.calls.append(host)
            answers = self.names[host]
            return answers.pop(0) if isinstance(answers[0], list) else answers

    fake = Resolver()
    monkeypatch.setattr(fetching, "resolve", fake)
    return fake


def test_a_page_is_fetched_whole_with_its_headers(catalogue_server):
    catalogue_server.route(
        "/products.json",
        body='{"products": ["tarte aux pommes"]}',
        headers={"Content-Type": "application/json; charset=utf-8", "X-Shop": "Boulangerie"},
    )

    response = fetch(catalogue_server.url("/products.json?page=2"), accept="application/json")

    assert response.status == 200
    assert response.body == b'{"products": ["tarte aux pommes"]}'
    assert response.content_type == "application/json"
    assert response.headers["x-shop"] == "Boulangerie"
    assert response.url == catalogue_server.url("/products.json?page=2")
    (request,) = catalogue_server.requests
    assert request.path == "/products.json?page=2"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Host"] == f"127.0.0.1:{catalogue_server.port}"


def test_the_portal_names_itself_and_its_address(catalogue_server, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commerces.ville.example"
    catalogue_server.route("/feed.xml", body="<rss/>")

    fetch(catalogue_server.url("/feed.xml"))

    user_agent = catalogue_server.requests[0].headers["User-Agent"]
    assert user_agent == "PortailDesCommerces/1.0 (+https://commerces.ville.example)"


def test_proxy_variables_are_ignored(catalogue_server, monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    proxy = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()  # nothing listens there: a fetch through the proxy would fail
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    catalogue_server.route("/feed.xml", body="<rss/>")

    assert fetch(catalogue_server.url("/feed.xml")).body == b"<rss/>"


@pytest.mark.parametrize("in_seconds", [True, False], ids=["seconds", "http-date"])
def test_too_many_requests_says_when_to_come_back(catalogue_server, in_seconds):
    retry_after = "600" if in_seconds else http_date(time.time() + 600)
    expected = range(600, 601) if in_seconds else range(590, 601)
    catalogue_server.route("/products.json", status=429, headers={"Retry-After": retry_after})

    with pytest.raises(HTTPStatusError) as caught:
        fetch(catalogue_server.url("/products.json"))

    assert caught.value.status == 429
    assert caught.value.retryable
    assert caught.value.retry_after in expected
    assert "429" in str(caught.value)


def test_a_server_error_is_retried_without_a_delay_of_its_own(catalogue_server):
    catalogue_server.route("/products.json", status=500, body="Internal Server Error")

    with pytest.raises(HTTPStatusError) as caught:
        fetch(catalogue_server.url("/products.json"))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        500,
        True,
        None,
    )


def test_a_site_down_for_maintenance_says_when_to_come_back(catalogue_server):
    catalogue_server.route("/feed.xml", status=503, headers={"Retry-After": "3600"})

    with pytest.raises(HTTPStatusError) as caught:
        fetch(catalogue_server.url("/feed.xml"))

    assert (caught.value.retryable, caught.value.retry_after) == (True, 3600)


@pytest.mark.parametrize("retry_after", ["", "soon", "-5", "Wed, 32 Foo 2026 99:00:00 GMT"])
def test_a_retry_after_that_cannot_be_read_gives_no_delay(catalogue_server, retry_after):
    catalogue_server.route("/feed.xml", status=429, headers={"Retry-After": retry_after})

    with pytest.raises(HTTPStatusError) as caught:
        fetch(catalogue_server.url("/feed.xml"))

    assert caught.value.retry_after is None


def test_a_missing_page_is_not_retried(catalogue_server):
    with pytest.raises(HTTPStatusError) as caught:
        fetch(catalogue_server.url("/nowhere.json"))

    assert caught.value.status == 404
    assert not caught.value.retryable


def test_a_slow_answer_times_out(catalogue_server, settings):
    settings.PORTAL_FETCH_TIMEOUT = 0.5
    catalogue_server.route("/products.json", body="{}", delay=1.5)

    with pytest.raises(TimedOut) as caught:
        fetch(catalogue_server.url("/products.json"))

    assert caught.value.retryable


def test_an_answer_dripped_within_each_read_still_meets_the_deadline(catalogue_server):
    sent = []

    def drip():  # 8 s in all, a chunk each 0.2 s: each read is well within the time-out
        for _ in range(40):
            yield b"<item/>"
            sent.append(1)
            time.sleep(0.2)

    catalogue_server.route("/feed.xml", body=drip())

    # The whole fetch ends at four times the time-out (2 s), the connection cut then.
    with pytest.raises(TimedOut):
        fetch(catalogue_server.url("/feed.xml"), timeout=0.5)

    assert len(sent) < 40  # given up while the server was still sending


def test_a_body_announced_above_the_limit_is_not_read(catalogue_server, settings):
    settings.PORTAL_FETCH_MAX_BYTES = 1000
    # It announces more than it sends: reading it would end in a broken answer instead.
    catalogue_server.route("/big.csv", body=b"x" * 10, headers={"Content-Length": "5000"})

    with pytest.raises(TooLarge) as caught:
        fetch(catalogue_server.url("/big.csv"))

    assert not caught.value.retryable


def test_a_body_that_passes_the_limit_without_announcing_it_is_cut(catalogue_server, settings):
    settings.PORTAL_FETCH_MAX_BYTES = 1000
    catalogue_server.route("/big.csv", body=[b"x" * 600] * 100)

    with pytest.raises(TooLarge):
        fetch(catalogue_server.url("/big.csv"))


def test_a_gzip_answer_is_decoded(catalogue_server):
    body = "nom,prix\nÉclair au café,2.80\n".encode() * 50
    catalogue_server.route(
        "/products.csv", body=gzip.compress(body), headers={"Content-Encoding": "gzip"}
    )

    response = fetch(catalogue_server.url("/products.csv"))

    assert response.body == body
    assert "content-encoding" not in response.headers
    assert catalogue_server.requests[0].headers["Accept-Encoding"] == "gzip"


def test_a_gzip_bomb_is_cut_at_the_limit_once_decoded(catalogue_server, settings):
    settings.PORTAL_FETCH_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MB in about 50 KB
    assert len(bomb) < settings.PORTAL_FETCH_MAX_BYTES
    catalogue_server.route("/feed.xml", body=bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(TooLarge):
        fetch(catalogue_server.url("/feed.xml"))


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"id,nom\n1,Pain", {"Content-Length": "500"}),  # cut before its announced end
        (b"not gzip at all", {"Content-Encoding": "gzip"}),
        (gzip.compress(b"id,nom\n")[:-8], {"Content-Encoding": "gzip"}),  # a truncated gzip
        (b"...", {"Content-Encoding": "br"}),  # not asked for
    ],
    ids=["truncated", "bad-gzip", "truncated-gzip", "unknown-encoding"],
)
def test_a_broken_answer_fails_for_now(catalogue_server, body, headers):
    catalogue_server.route("/products.csv", body=body, headers=headers)

    with pytest.raises(BrokenAnswer) as caught:
        fetch(catalogue_server.url("/products.csv"))

    assert caught.value.retryable


def test_an_address_typed_with_spaces_and_accents_is_sent_encoded(catalogue_server):
    catalogue_server.route("/catalogue%20d'%C3%A9t%C3%A9.csv", body="id,nom")

    response = fetch(catalogue_server.url("/catalogue d'été.csv?rayon=épicerie fine"))

    assert response.body == b"id,nom"
    assert catalogue_server.requests[0].path == (
        "/catalogue%20d'%C3%A9t%C3%A9.csv?rayon=%C3%A9picerie%20fine"
    )


def test_redirects_are_followed(catalogue_server):
    catalogue_server.route("/shop", status=301, headers={"Location": catalogue_server.url("/old")})
    catalogue_server.route("/old", status=302, headers={"Location": "/new?page=1"})
    catalogue_server.route("/new", body="[]")

    response = fetch(catalogue_server.url("/shop"))

    assert response.body == b"[]"
    assert response.url == catalogue_server.url("/new?page=1")
    assert [request.path for request in catalogue_server.requests] == [
        "/shop",
        "/old",
        "/new?page=1",
    ]


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/products.json", "http://metadata.test/latest/meta-data/"]
)
def test_a_redirect_to_a_private_address_is_refused(catalogue_server, resolver, location):
    resolver.names = {"127.0.0.1": ["127.0.0.1"], "10.0.0.1": ["10.0.0.1"]}
    resolver.names["metadata.test"] = ["169.254.169.254"]
    catalogue_server.route("/products.json", status=302, headers={"Location": location})

    with pytest.raises(AddressRefused) as caught:
        fetch(catalogue_server.url("/products.json"))

    assert not caught.value.retryable


def test_too_many_redirects_are_refused(catalogue_server):
    catalogue_server.route("/loop", status=307, headers={"Location": "/loop"})

    with pytest.raises(TooManyRedirects):
        fetch(catalogue_server.url("/loop"))

    assert len(catalogue_server.requests) == 6  # the address, then five redirects


@pytest.mark.parametrize(
    "url",
    [
        "ftp://shop.example/products.csv",
        "file:///etc/passwd",
        "gopher://shop.example/",
        "shop.example/feed.xml",
    ],
)
def test_only_http_and_https_are_fetched(url, no_connection):
    with pytest.raises(AddressRefused):
        fetch(url)


def test_a_redirect_to_another_scheme_is_refused(catalogue_server):
    catalogue_server.route("/feed.xml", status=302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(AddressRefused):
        fetch(catalogue_server.url("/feed.xml"))


def test_loopback_is_refused_unless_the_setting_opens_it(catalogue_server, settings):
    settings.PORTAL_FETCH_ALLOW_LOOPBACK = False
    catalogue_server.route("/feed.xml", body="<rss/>")

    for url in (catalogue_server.url("/feed.xml"), f"http://[::1]:{catalogue_server.port}/"):
        with pytest.raises(AddressRefused):
            fetch(url)

    assert catalogue_server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "192.168.1.20",
        "169.254.169.254",  # the cloud's metadata service
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "0.0.0.0",
        "224.0.0.1",
        "192.0.2.10",  # TEST-NET
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",  # loopback, even with loopback open to the tests
        "::ffff:10.0.0.1",
        "2002:a9fe:a9fe::1",  # 6to4 around 169.254.169.254
        "64:ff9b::a9fe:a9fe",  # NAT64 around 169.254.169.254
        "::",
    ],
)
def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
    resolver, no_connection, address
):
    resolver.names["shop.test"] = [address]

    with pytest.raises(AddressRefused) as caught:
        fetch("https://shop.test/products.json")

    assert not caught.value.retryable


def test_one_private_address_among_public_ones_is_enough_to_refuse(resolver, no_connection):
    resolver.names["shop.test"] = [
        "93.184.215.14",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "10.0.0.7",
    ]

    with pytest.raises(AddressRefused):
        fetch("http://shop.test/feed.xml")


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_are_allowed(address):
    assert not fetching.is_refused(address)


def test_the_connection_goes_to_the_address_checked_without_a_second_lookup(
    catalogue_server, resolver
):
    # A rebinding DNS server: a harmless address for the check, a private one after.
    resolver.names["shop.test"] = [["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]]
    catalogue_server.route("/products.json", body="[]")

    response = fetch(f"http://shop.test:{catalogue_server.port}/products.json")

    assert response.body == b"[]"
    assert resolver.calls == ["shop.test"]
    assert catalogue_server.requests[0].headers["Host"] == f"shop.test:{catalogue_server.port}"


def test_a_name_that_does_not_resolve_fails_for_now(monkeypatch, no_connection):
    def resolve(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetching, "resolve", resolve)

    with pytest.raises(ConnectionFailed) as caught:
        fetch("https://boutique-fermee.test/products.json")

    assert caught.value.retryable


def test_a_closed_port_fails_for_now(catalogue_server):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()

    with pytest.raises(ConnectionFailed) as caught:
        fetch(f"http://127.0.0.1:{port}/feed.xml")

    assert caught.value.retryable


def test_https_that_cannot_be_verified_fails(catalogue_server, resolver):
    resolver.names["shop.test"] = ["127.0.0.1"]  # a plain HTTP server: no TLS handshake

    with pytest.raises(ConnectionFailed) as caught:
        fetch(f"https://shop.test:{catalogue_server.port}/products.json", timeout=2)

    assert caught.value.retryable


@pytest.fixture
def tls_server(resolver, monkeypatch):
    """An https server for shop.test on 127.0.0.1, its authority trusted for this test."""
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS_AUTHORITY))
    resolver.names[TLS_HOST] = ["127.0.0.1"]
    server = CatalogueServer(tls=True)
    yield server
    server.close()


def test_https_is_verified_against_the_host_name_on_the_address_checked(tls_server, resolver):
    tls_server.route("/products.json", body='{"products": []}')

    response = fetch(tls_server.url("/products.json"))

    assert response.body == b'{"products": []}'
    assert resolver.calls == [TLS_HOST]
    assert tls_server.tls_names == [TLS_HOST]
    assert tls_server.requests[0].headers["Host"] == f"{TLS_HOST}:{tls_server.port}"


def test_https_with_a_certificate_for_another_name_is_refused(tls_server, resolver):
    resolver.names["other.test"] = ["127.0.0.1"]
    tls_server.route("/products.json", body="{}")

    with pytest.raises(ConnectionFailed) as caught:
        fetch(f"https://other.test:{tls_server.port}/products.json")

    assert "certificat" in str(caught.value)
    assert tls_server.requests == []
