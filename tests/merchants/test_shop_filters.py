"""The shop index's category and neighbourhood filters read their choices once."""

import pytest

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    bakeries, florists = builders.category("Boulangerie"), builders.category("Fleuriste", "💐")
    builders.shop("Boulangerie Dupont", categories=[bakeries], offers_delivery=False)
    builders.shop(
        "Fleurs de Lys", categories=[florists], offers_delivery=True, delivery_postcodes="7000"
    )
    return builders.shop_index().url


def test_a_category_filters_the_shops_and_stays_selected(client, town):
    page = client.get(town + "?category=fleuriste").content.decode()
    assert "Fleurs de Lys" in page and "Boulangerie Dupont" not in page
    assert '<option value="fleuriste" selected>' in page
    assert '<option value="boulangerie">' in page


def test_an_unknown_category_is_reported_and_the_other_filters_still_apply(client, town):
    response = client.get(town + "?category=disparue&service=delivery")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page or "Sélectionnez un choix valide" in page
    assert "Fleurs de Lys" in page and "Boulangerie Dupont" not in page


def test_a_new_category_is_offered_at_once(client, town):
    client.get(town)
    builders.category("Fromagerie", "🧀")
    assert '<option value="fromagerie">' in client.get(town).content.decode()
