"""The merchant's admin home shows its shop's feeds and how to connect them."""

import pytest
from django.urls import reverse

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db


def test_the_merchant_sees_its_own_shops_feeds(client, baker, bakery, flower_shop):
    admin_login(client, baker)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    for kind in ("google", "meta", "news"):
        url = reverse(f"feeds:shop:{kind}", kwargs={"shop_id": bakery.pk})
        assert f"http://localhost{url}</code>" in page
    assert "Merchant Center" in page and "Commerce Manager" in page
    assert f"/flux/commerce/{flower_shop.pk}/" not in page
    # No store code yet: the local inventory feed is not offered, the field is pointed at.
    assert "google-stock-local.xml" not in page
    assert "store code" in page


def test_with_a_store_code_the_local_inventory_feed_is_offered(client, baker, bakery):
    bakery.store_code = "BOUL-1"
    bakery.save_revision().publish()
    admin_login(client, baker)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("feeds:shop:local", kwargs={"shop_id": bakery.pk}) in page


def test_the_panel_is_in_french_for_a_french_merchant(client, baker):
    admin_login(client, baker, language="fr")

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Être trouvé sur Google et Facebook : Boulangerie Dupont" in page


def test_a_city_editor_has_no_feeds_panel(client, city_editor, bakery):
    builders.product(bakery, "Baguette")
    admin_login(client, city_editor)

    assert "feeds-panel" not in client.get(reverse("wagtailadmin_home")).content.decode()
