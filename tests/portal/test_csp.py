"""The Content-Security-Policy (home/csp.py): strict on the public site, looser in the admin,
the map tiles' origin derived from the tile URL; the brand colour as a stylesheet."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

from home.models import PortalSettings
from home.tiles import tile_source
from tests import builders

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = {"attribution": "© OpenStreetMap", "maxZoom": 19}


def policy(response):
    """The Content-Security-Policy header of `response` as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def tiles(settings):
    def use(url):
        settings.LEAFLET_CONFIG = {"TILES": [("Tiles", url, OSM_ATTRIBUTION)]}

    return use


# The public site -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_public_page_forbids_inline_scripts_and_styles(client, bakery):
    response = client.get(bakery.url)

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response.headers


@pytest.mark.django_db
def test_public_pages_carry_no_nonce_since_they_may_be_cached(client, bakery):
    first = client.get(bakery.url).headers["Content-Security-Policy"]
    second = client.get(bakery.url).headers["Content-Security-Policy"]

    assert "nonce-" not in first
    assert first == second


@pytest.mark.django_db
def test_the_request_list_and_search_have_the_strict_policy(client, bakery):
    for url in ("/ma-demande/", "/search/?q=pain"):
        directives = policy(client.get(url))
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert "'unsafe-inline'" not in directives["style-src"], url


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_style_or_handler(client, bakery):
    """What the strict policy would block: each public page is checked as served."""
    baguette = builders.product(bakery, "Baguette tradition", image=builders.make_image())
    client.post("/ma-demande/ajouter/", {"product": baguette.pk, "quantity": 1})
    pages = [
        "/",
        builders.shop_index().url,  # with the map of the shops
        bakery.url,
        baguette.url,
        "/search/?q=baguette",
        "/ma-demande/",
        "/ma-demande/coordonnees/",
        "/inscrire-mon-commerce/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        # Only scripts from a file, or data (JSON) that a browser never runs.
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), (url, tag)
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "javascript:" not in html, url


@pytest.mark.django_db
def test_img_src_allows_the_map_tiles_of_the_settings(client, bakery, tiles):
    tiles("https://{s}.tiles.example.org/{z}/{x}/{y}.png")

    directives = policy(client.get(bakery.url))

    assert directives["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]


@pytest.mark.django_db
def test_without_maps_no_tile_server_is_allowed(client, bakery, settings):
    settings.PORTAL_MAPS_ENABLED = False

    assert policy(client.get(bakery.url))["img-src"] == ["'self'", "data:"]


# The admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_has_its_own_looser_policy(client, baker, tiles):
    tiles(OSM)
    builders.admin_login(client, baker)

    response = client.get("/admin/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    # Wagtail 8 renders inline scripts and style attributes.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    assert directives["object-src"] == ["'none'"]
    # The page editor shows its preview in a frame of the admin.
    assert directives["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_the_admin_log_in_page_has_the_admin_policy(client):
    directives = policy(client.get("/admin/login/"))

    assert "'unsafe-inline'" in directives["script-src"]


# The tile server's origin ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "source"),
    [
        (OSM, "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://maps{s}.Example.org:8443/{z}/{x}/{y}{r}.png", "https://*.example.org:8443"),
        ("//{s}.tiles.example.org/{z}/{x}/{y}.png", "*.tiles.example.org"),
        ("/tiles/{z}/{x}/{y}.png", None),  # the portal's own: 'self'
    ],
)
def test_tile_source_is_the_origin_of_the_tile_url(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize(
    "url", ["ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.{s}/{z}/{x}/{y}.png"]
)
def test_a_tile_url_that_no_source_can_cover_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="tile URL"):
        tile_source(url)


# The brand colour ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_brand_colour_is_a_stylesheet_whose_address_names_it(client, bakery):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.brand_colour = "#7A1F3D"
    portal.save()

    html = client.get(bakery.url).content.decode()

    assert '<link rel="stylesheet" href="/brand/7a1f3d.css">' in html
    stylesheet = client.get("/brand/7a1f3d.css")
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/css")
    assert stylesheet.content.decode().strip() == ":root { --brand: #7a1f3d; }"
    # A new colour is a new address: each one is kept for good.
    assert "immutable" in stylesheet["Cache-Control"]
    assert "public" in stylesheet["Cache-Control"]


@pytest.mark.django_db
def test_only_a_colour_has_a_brand_stylesheet(client):
    assert client.get("/brand/red;}body{display:none.css").status_code == 404
