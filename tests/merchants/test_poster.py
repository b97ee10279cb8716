"""The window poster: the shop's name, a QR code to its page, the portal's promise, on A4.

segno draws QR codes but does not read them: the tests check what is encoded instead —
the URL the poster says it encodes is the shop's public address, and the drawing is
segno's full QR code of exactly that address.
"""

import re

import pytest
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from home.models import PortalSettings

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def poster_url(shop):
    return reverse("merchants_shop_poster", args=[shop.pk])


def encoded_url(page):
    return re.search(r'data-qr-url="([^"]+)"', page).group(1)


def in_the_towns_language(text):
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


def test_the_qr_code_encodes_the_shops_public_address(client, baker, bakery):
    admin_login(client, baker)

    page = client.get(poster_url(bakery)).content.decode()

    assert encoded_url(page) == bakery.full_url
    assert bakery.full_url.startswith("http") and bakery.full_url.endswith("/boulangerie-dupont/")
    # A full QR code (phone cameras do not read Micro QR), error correction M at least.
    expected = segno.make_qr(bakery.full_url, error="m")
    assert expected.svg_inline(omitsize=True, svgclass=None, lineclass=None) in page


def test_the_qr_code_is_not_another_shops(client, baker, bakery, flower_shop):
    admin_login(client, baker)

    page = client.get(poster_url(bakery)).content.decode()

    other = segno.make_qr(flower_shop.full_url, error="m")
    assert other.svg_inline(omitsize=True, svgclass=None, lineclass=None) not in page


def test_the_poster_shows_the_name_the_promise_the_address_and_the_town(client, baker, bakery):
    portal = PortalSettings.for_site(bakery.get_site())
    portal.town_name = "Valbourg"
    portal.save()
    admin_login(client, baker)

    response = client.get(poster_url(bakery))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="poster__shop">Boulangerie Dupont</h1>' in page
    assert in_the_towns_language("Order online, collect in the shop") in page
    # The address under the code, as a person would type it.
    assert '<figcaption class="poster__url">localhost/commerces/boulangerie-dupont<' in page
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Shops of %(town)s") % {"town": "Valbourg"} in page
    assert "@page { size: A4 portrait" in page
    # The print button is hidden when printing, and the page is the poster alone.
    assert "@media print" in page and ".poster-tools { display: none; }" in page
    assert "w-sidebar" not in page  # not the admin's chrome


def test_an_unpublished_shop_gets_its_poster_with_a_warning(client, baker, bakery):
    bakery.unpublish()
    admin_login(client, baker)

    page = client.get(poster_url(bakery)).content.decode()

    assert encoded_url(page) == bakery.full_url
    assert "Your page is not online yet" in page


def test_the_florist_cannot_print_the_bakers_poster(client, florist, bakery):
    admin_login(client, florist)

    response = client.get(poster_url(bakery))

    # As missing as a shop that never was: the florist learns nothing of it.
    assert response.status_code == 404
    page = response.content.decode()
    assert "data-qr-url" not in page and "Boulangerie Dupont" not in page


def test_the_city_editor_prints_any_shops_poster(client, city_editor, bakery, flower_shop):
    admin_login(client, city_editor)

    for shop in (bakery, flower_shop):
        page = client.get(poster_url(shop)).content.decode()
        assert encoded_url(page) == shop.full_url


def test_a_visitor_is_sent_to_the_login_page(client, bakery):
    response = client.get(poster_url(bakery))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_merchants_admin_home_links_to_its_poster(client, baker, bakery, flower_shop):
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert f'href="{poster_url(bakery)}"' in page
    assert poster_url(flower_shop) not in page


def test_the_shops_edit_view_links_to_its_poster(client, baker, bakery):
    admin_login(client, baker)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[bakery.pk])).content.decode()

    assert f'href="{poster_url(bakery)}"' in page


def test_other_pages_edit_views_have_no_poster(client, city_editor):
    admin_login(client, city_editor)
    index = builders.shop_index()

    page = client.get(reverse("wagtailadmin_pages:edit", args=[index.pk])).content.decode()

    assert "/poster/" not in page
