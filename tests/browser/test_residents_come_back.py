"""Residents come back, on phones: a resident follows a shop and confirms from the e-mail,
the shopkeeper posts news from its admin home, and the weekly digest's one e-mail
carries it."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from merchants.models import ShopMembership
from news.models import NewsItem
from notifications.models import Notification
from subscriptions import digest
from tests import builders

from .test_merchant_path import PASSWORD, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_a_follower_gets_the_shops_news_in_the_digest(browser, live_server, django_user_model):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    baker = django_user_model.objects.create_user(
        username="boulanger", email="boulanger@example.org", password=PASSWORD
    )
    ShopMembership.objects.create(user=baker, shop=bakery)
    resident = browser.new_page(viewport=PHONE)
    merchant = browser.new_context(viewport=PHONE).new_page()
    try:
        # The resident follows the shop, then confirms from the e-mail the outbox holds.
        resident.goto(live_server.url + bakery.url)
        resident.fill("form.follow input[type=email]", "marie@example.org")
        resident.click("form.follow button:has-text('Suivre')")
        [mail] = Notification.objects.filter(to="marie@example.org")
        resident.goto(live_server.url + urlsplit(mail.context["confirm_url"]).path)
        resident.click("button:has-text('Confirmer')")
        assert resident.locator("h1").inner_text() == "Mes abonnements"

        # The baker posts news from the admin's home page.
        log_in(merchant, live_server.url, "boulanger")
        merchant.click("a[href='/admin/snippets/news/newsitem/add/']")
        merchant.fill("#id_text", "Arrivage de truffes samedi")
        with merchant.expect_navigation():
            merchant.locator("button[type=submit]", has_text="Enregistrer").first.click()
        assert NewsItem.objects.get(shop=bakery).text == "Arrivage de truffes samedi"

        # A week later, the digest: one e-mail, with the news.
        assert digest.send_digests(now=timezone.now() + timedelta(days=7)) == 1
        [sent] = Notification.objects.filter(to="marie@example.org", template=digest.TEMPLATE)
        items = [item["name"] for section in sent.context["sections"] for item in section["items"]]
        assert items == ["Arrivage de truffes samedi"]
    finally:
        resident.close()
        merchant.close()
