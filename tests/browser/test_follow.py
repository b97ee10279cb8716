"""A resident on a phone follows a shop from its (cached) page and confirms from the e-mail;
the new public pages pass axe."""

from urllib.parse import urlsplit

import pytest

from notifications.models import Notification
from subscriptions.models import Subscription
from tests import builders

from .test_resident_path import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_resident_follows_a_shop_and_confirms_from_the_email(browser, live_server):
    bread = builders.category("Boulangerie", "🥖")
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont", categories=[bread])
    croissant = builders.product(bakery, "Croissant", availability="out_of_stock")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        # The shop page, as every anonymous visitor gets it (kept in the page cache).
        page.goto(live_server.url + bakery.url)
        page.goto(live_server.url + bakery.url)
        form = page.locator("form.follow")
        assert "Suivre ce commerce" in form.inner_text()
        # A typing mistake: the error next to the field, what was typed kept.
        form.locator("input[type=email]").fill("marie@")
        form.locator("button", has_text="Suivre").click()
        assert page.locator("#id_email-error").is_visible()
        assert page.locator("#id_email").input_value() == "marie@"
        assert_accessible(page, "follow form with an error")
        page.fill("#id_email", "marie@example.org")
        page.click("button:has-text('Suivre')")
        assert page.locator("h1").inner_text() == "Consultez votre boîte e-mail"
        assert_accessible(page, "check your inbox")
        assert Subscription.objects.get().confirmed_at is None

        # The confirmation e-mail, as the outbox stored it: nothing else was sent.
        [mail] = Notification.objects.filter(to="marie@example.org")
        link = urlsplit(mail.context["confirm_url"]).path
        page.goto(live_server.url + link)
        assert_accessible(page, "confirm")
        page.click("button:has-text('Confirmer')")
        assert page.locator("h1").inner_text() == "Mes abonnements"
        assert "Boulangerie Dupont" in page.locator("main").inner_text()
        assert_accessible(page, "my subscriptions")
        assert Subscription.objects.get().confirmed_at is not None

        # The other forms of the cached pages: a category, a product out of stock.
        for path in (builders.shop_index().url + "?category=boulangerie", croissant.url):
            page.goto(live_server.url + path)
            assert page.locator("form.follow").count() == 1, path
            assert_accessible(page, path)

        page.goto(live_server.url + link[:-4] + "xx/")
        assert page.locator("h1").inner_text() == "Ce lien ne fonctionne plus"
        assert_accessible(page, "invalid link")

        page.goto(live_server.url + urlsplit(mail.context["manage_url"]).path)
        page.click("button:has-text('Tout arrêter')")
        assert page.locator("h1").inner_text() == "Votre adresse est oubliée"
        assert_accessible(page, "forgotten")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        page.close()
