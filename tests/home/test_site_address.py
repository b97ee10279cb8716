"""The portal's own addresses (canonical links, Open Graph cards, share links, robots.txt,
feeds) come from the Site record, never from the request's Host header: a page kept in a
cache would hand a forged host to every later visitor. `manage.py set_site_url` gives the
record the address served."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from tests import builders

FORGED = "evil.example"


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition", image=builders.make_image())


@pytest.fixture
def served_at_8123(db):
    call_command("set_site_url", "http://127.0.0.1:8123", stdout=io.StringIO())
    return "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/commerces/",
        "/commerces/boulangerie-dupont/",
        "/commerces/boulangerie-dupont/baguette-tradition/",
        "/search/?q=baguette",
        "/robots.txt",
        "/flux/nouveautes.atom",
    ],
)
def test_a_forged_host_never_appears_in_the_portals_links(
    client, home, shop_index, baguette, served_at_8123, address
):
    response = client.get(address, HTTP_HOST=FORGED)

    assert response.status_code == 200
    text = response.content.decode()
    assert FORGED not in text
    assert served_at_8123 in text  # the links are there, with the address served


def test_canonical_open_graph_and_share_links_name_the_address_served(
    client, baguette, served_at_8123
):
    text = client.get("/commerces/boulangerie-dupont/baguette-tradition/").content.decode()

    url = f"{served_at_8123}/commerces/boulangerie-dupont/baguette-tradition/"
    assert f'<link rel="canonical" href="{url}">' in text
    assert f'<meta property="og:url" content="{url}">' in text
    assert "http://localhost" not in text


@pytest.mark.parametrize(
    ("url", "hostname", "port", "root_url"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("https://commerces.example.be/", "commerces.example.be", 443, "https://commerces.example.be"),
        ("http://localhost", "localhost", 80, "http://localhost"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_set_site_url_gives_the_default_site_its_host_and_port(url, hostname, port, root_url):
    call_command("set_site_url", url, stdout=io.StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (hostname, port, root_url)


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:9000")
@pytest.mark.django_db
def test_set_site_url_defaults_to_the_admins_base_url():
    call_command("set_site_url", stdout=io.StringIO())

    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:9000"


@pytest.mark.parametrize(
    "url", ["commerces.example.be", "ftp://example.org", "https://example.org:8443", "http://x:z"]
)
@pytest.mark.django_db
def test_set_site_url_refuses_what_a_site_cannot_be(url):
    with pytest.raises(CommandError):
        call_command("set_site_url", url, stdout=io.StringIO())

    assert Site.objects.get(is_default_site=True).root_url == "http://localhost"
