"""A shopkeeper on a phone: one click from the admin's home page, a new product with a photo
on the public page a minute later — and the other shop's products out of reach."""

import io
from decimal import Decimal

import pytest
from PIL import Image as PILImage

from merchants.models import ShopMembership
from products.models import Product
from tests import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "un-mot-de-passe-de-test"


@pytest.fixture
def merchants(django_user_model):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    florist_shop = builders.shop("Fleurs de Lys", slug="fleurs-de-lys")
    baguette = builders.product(bakery, "Baguette tradition", price=Decimal("1.30"))
    people = {}
    for username, shop in (("boulanger", bakery), ("fleuriste", florist_shop)):
        people[username] = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password=PASSWORD
        )
        ShopMembership.objects.create(user=people[username], shop=shop)
    return bakery, baguette


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def photo_file(tmp_path):
    path = tmp_path / "pain-aux-noix.jpg"
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (180, 120, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_the_baker_updates_its_shop_from_a_phone(browser, live_server, merchants, tmp_path):
    bakery, baguette = merchants
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        log_in(page, base, "boulanger")

        # One click on the home page: the baguette is out of stock.
        with page.expect_navigation():
            page.click(f"form[action='/admin/product/{baguette.pk}/stock/'] button")
        assert "Baguette tradition" in page.locator(".messages").inner_text()
        baguette.refresh_from_db()
        assert baguette.availability == "out_of_stock"

        # A new product, with a photo uploaded from the phone.
        page.click("a[href='/admin/snippets/products/product/add/']")
        page.fill("#id_name", "Pain aux noix")
        page.fill("#id_price", "4.20")
        page.click("#id_images-ADD")
        page.locator("#id_images-0-image").locator("xpath=..").locator(
            "button[data-chooser-action-choose]"
        ).click()
        modal = page.locator(".modal-content")
        modal.locator("#tab-label-upload").click()
        modal.locator("#tab-upload input[type=file]").set_input_files(str(photo_file(tmp_path)))
        modal.locator("#tab-upload input[name$='title']").fill("Pain aux noix")
        modal.locator("#tab-upload button[type=submit]").click()
        page.wait_for_selector(".modal-content", state="detached")
        page.fill("#id_images-0-alt_text", "Un pain rond aux noix, coupé en deux")
        page.click("button[type=submit]:has-text('Enregistrer')")
        page.wait_for_url(f"{base}/admin/snippets/products/product/")

        created = Product.objects.get(name="Pain aux noix")
        assert created.shop_id == bakery.pk
        assert created.price == Decimal("4.20")
        [photo] = created.images.all()
        assert photo.image.collection_id == bakery.access.collection_id

        # On the public shop page.
        page.goto(base + bakery.url)
        card = page.locator(".card", has_text="Pain aux noix")
        assert card.count() == 1
        assert card.locator("img").get_attribute("alt") == "Un pain rond aux noix, coupé en deux"
    finally:
        page.close()


def test_the_florist_cannot_reach_the_bakers_product(browser, live_server, merchants):
    _bakery, baguette = merchants
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        log_in(page, base, "fleuriste")

        response = page.goto(f"{base}/admin/snippets/products/product/edit/{baguette.pk}/")

        assert response.status == 404
        assert "Baguette tradition" not in page.content()
    finally:
        page.close()
