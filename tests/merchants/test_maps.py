"""Maps: the shop index's map follows the filters, each shop page has a small map and a
directions link, the admin places a shop by clicking. Maps only add to the pages: with
them switched off the list and the addresses are all there."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .. import builders
from ..builders import FormFields

pytestmark = pytest.mark.django_db

MAP_DATA = re.compile(
    r'<div class="map[^"]*" data-map[^>]*><script type="application/json">(.*?)</script>'
)


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def map_data(page):
    found = MAP_DATA.search(page)
    assert found, "no map on the page"
    return json.loads(found.group(1))


def marker_names(page):
    return [marker["name"] for marker in map_data(page)["markers"]]


# The shop index -----------------------------------------------------------------------


def test_shop_index_map_shows_the_shops_of_the_active_filters(client, bakery, flower_shop):
    index_url = builders.shop_index().url
    assert sorted(marker_names(html(client.get(index_url)))) == [
        "Boulangerie Dupont",
        "Fleurs de Lys",
    ]

    page = html(client.get(f"{index_url}?category=boulangerie"))

    assert marker_names(page) == ["Boulangerie Dupont"]
    marker = map_data(page)["markers"][0]
    assert marker == {
        "name": "Boulangerie Dupont",
        "url": bakery.url,
        "lat": 50.454,
        "lng": 3.952,
        "address": f"{bakery.street_address}, 7000 Valbourg",
    }


def test_shop_index_map_is_hidden_until_drawn_and_named(client, bakery):
    page = html(client.get(builders.shop_index().url))

    # Without JavaScript the container stays hidden: no empty grey box.
    container = re.search(r'<div class="map"[^>]*>', page).group(0)
    assert " hidden" in container
    assert 'role="region"' in container
    assert 'aria-label="Carte des commerces"' in container
    assert "/static/leaflet/leaflet.js" in page
    assert "/static/js/maps.js" in page


def test_shops_without_a_position_are_listed_but_not_on_the_map(client, bakery):
    builders.shop("Librairie sans adresse précise", latitude=None, longitude=None)

    page = html(client.get(builders.shop_index().url))

    assert "Librairie sans adresse précise" in page
    assert marker_names(page) == ["Boulangerie Dupont"]


def test_shop_index_has_no_map_when_no_shop_has_a_position(client):
    builders.shop("Librairie sans adresse précise", latitude=None, longitude=None)

    page = html(client.get(builders.shop_index().url))

    assert "Librairie sans adresse précise" in page
    assert "data-map" not in page
    assert "leaflet.js" not in page


def test_shop_index_map_shows_the_page_of_shops_whatever_the_town_size(client, settings):
    settings.PORTAL_SHOPS_PER_PAGE = 12
    bakery_category = builders.category("Boulangerie")
    url = builders.shop_index().url + "?category=boulangerie"

    def shops_and_queries(total):
        while len(builders.shop_index().get_children()) < total:
            builders.shop(categories=[bakery_category])
        assert client.get(url).status_code == 200  # warm-up: site root paths, renditions
        with CaptureQueriesContext(connection) as queries:
            page = html(client.get(url))
        return len(marker_names(page)), len(queries)

    few_markers, few_queries = shops_and_queries(3)
    many_markers, many_queries = shops_and_queries(30)

    # The map shows the shops of the page it sits on: the page does not grow with the
    # town (every one of 500 shops' markers made it 111 KB), nor does its query count.
    assert (few_markers, many_markers) == (3, 12)
    assert many_queries == few_queries


# The shop page ------------------------------------------------------------------------


def test_shop_page_has_a_small_map_of_the_shop(client, bakery):
    page = html(client.get(bakery.url))

    assert marker_names(page) == ["Boulangerie Dupont"]
    assert 'aria-label="Carte du commerce"' in page


def test_shop_page_directions_lead_to_the_shops_position(client, bakery):
    page = html(client.get(bakery.url))

    link = "https://www.google.com/maps/dir/?api=1&amp;destination=50.454000%2C3.952000"
    assert f'<a href="{link}">Itinéraire</a>' in page


def test_shop_page_directions_use_the_address_when_the_shop_has_no_position(client):
    shop = builders.shop(street_address="12 rue Neuve", latitude=None, longitude=None)

    page = html(client.get(shop.url))

    link = "https://www.google.com/maps/dir/?api=1&amp;destination=12+rue+Neuve%2C+7000+Valbourg"
    assert f'<a href="{link}">Itinéraire</a>' in page
    assert "data-map" not in page


# Settings -----------------------------------------------------------------------------


@override_settings(PORTAL_MAPS_ENABLED=False)
def test_maps_switched_off_leave_the_list_and_address_without_any_map(client, bakery):
    index = html(client.get(builders.shop_index().url))
    shop = html(client.get(bakery.url))

    for page in (index, shop):
        assert "data-map" not in page
        assert "leaflet" not in page
        assert "maps.js" not in page
    assert "Boulangerie Dupont" in index
    assert bakery.street_address in shop
    assert "https://www.google.com/maps/dir/" in shop


@override_settings(
    LEAFLET_CONFIG={
        "TILES": [
            (
                "City tiles",
                "https://tiles.example.org/{z}/{x}/{y}.png",
                {"attribution": "© City of Valbourg"},
            )
        ]
    }
)
def test_map_tiles_and_attribution_come_from_the_settings(client, bakery):
    tiles = map_data(html(client.get(builders.shop_index().url)))["tiles"]

    assert tiles == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "options": {"attribution": "© City of Valbourg"},
    }


def test_default_tiles_are_openstreetmaps_with_its_attribution(client, bakery):
    tiles = map_data(html(client.get(bakery.url)))["tiles"]

    assert tiles["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap</a> contributors" in tiles["options"]["attribution"]
    # OpenStreetMap refuses tile requests without a Referer (see LEAFLET_CONFIG).
    assert tiles["options"]["referrerPolicy"] == "strict-origin"


# The admin's position picker ----------------------------------------------------------


@pytest.mark.parametrize("persona", ["city_editor", "baker"])
def test_shop_edit_view_has_the_position_picker(client, bakery, persona, request):
    builders.admin_login(client, request.getfixturevalue(persona))

    page = html(client.get(reverse("wagtailadmin_pages:edit", args=[bakery.pk])))

    latitude = re.search(r'<input type="number" name="latitude"[^>]*>', page).group(0)
    longitude = re.search(r'<input type="number" name="longitude"[^>]*>', page).group(0)
    assert 'data-coordinate="lat"' in latitude and 'value="50.454000"' in latitude
    assert 'data-coordinate="lng"' in longitude
    assert "data-picker=" in latitude
    assert "/static/leaflet/leaflet.js" in page
    assert "/static/js/latlng-picker.js" in page


def test_position_picker_opens_amid_the_placed_shops_for_a_new_shop(
    client, city_editor, bakery, flower_shop
):
    flower_shop.latitude, flower_shop.longitude = Decimal("50.460000"), Decimal("3.960000")
    flower_shop.save()
    unplaced = builders.shop(latitude=None, longitude=None)
    builders.admin_login(client, city_editor)

    page = html(client.get(reverse("wagtailadmin_pages:edit", args=[unplaced.pk])))

    attribute = re.search(r'data-picker="([^"]*)"', page).group(1)
    picker = json.loads(attribute.replace("&quot;", '"').replace("&amp;", "&"))
    assert picker["centre"] == pytest.approx([50.457, 3.956])


@override_settings(PORTAL_MAPS_ENABLED=False)
def test_maps_switched_off_leave_plain_coordinate_inputs_in_the_admin(client, city_editor, bakery):
    builders.admin_login(client, city_editor)

    page = html(client.get(reverse("wagtailadmin_pages:edit", args=[bakery.pk])))

    assert '<input type="number" name="latitude"' in page
    assert "data-picker=" not in page
    assert "latlng-picker.js" not in page


def test_city_editor_saves_typed_coordinates(client, city_editor, bakery):
    builders.admin_login(client, city_editor)
    url = reverse("wagtailadmin_pages:edit", args=[bakery.pk])
    form = FormFields("page-edit-form")
    form.feed(html(client.get(url)))
    # What the browser posts without JavaScript; the empty description's StreamField
    # counter is written by Wagtail's JavaScript.
    data = {**form.data, "description-count": ["0"], "action-publish": ["action-publish"]}
    data.update(latitude=["50.461234"], longitude=["3.948765"])

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    bakery.refresh_from_db()
    assert (bakery.latitude, bakery.longitude) == (Decimal("50.461234"), Decimal("3.948765"))
