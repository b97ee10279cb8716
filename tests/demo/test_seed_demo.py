"""`manage.py seed_demo`: the demo town a developer gets, and that running it again is safe."""

import io
from datetime import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import CampaignPage, HomePage, PortalSettings, StandardPage
from merchants.models import MerchantPage, ShopCategory, ShopMembership
from merchants.ownership import CITY_EDITORS_GROUP
from products.models import Product, ProductImage

pytestmark = pytest.mark.django_db

CONTENT_PAGES = [
    "comment-ca-marche",
    "questions-frequentes",
    "vie-privee",
    "mentions-legales",
    "accessibilite",
]


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", size="small", force=True, stdout=out, **options)
    return out.getvalue()


def database_snapshot():
    """What a second run must leave untouched: ids, and the marks a re-save would change."""
    return {
        "pages": sorted(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
        "products": sorted(Product.objects.values_list("pk", "updated_at")),
        "product_images": sorted(ProductImage.objects.values_list("pk", "image_id")),
        "images": sorted(get_image_model().objects.values_list("pk", "file")),
        "users": sorted(get_user_model().objects.values_list("pk", "password", "last_login")),
        "memberships": sorted(ShopMembership.objects.values_list("pk", "user_id", "shop_id")),
        "settings": list(PortalSettings.objects.values()),
    }


def test_small_demo_has_shops_with_hours_and_products_with_described_pictures():
    output = seed()

    shops = MerchantPage.objects.live()
    assert shops.count() == 6
    assert ShopCategory.objects.filter(shops__isnull=False).distinct().count() >= 3
    assert Product.objects.count() == 30
    assert "created 6 shops, 30 products" in output
    # Every product and every shop photo is described for screen-reader users.
    assert not Product.objects.filter(images__isnull=True).exists()
    assert not ProductImage.objects.filter(alt_text="").exists()
    for shop in shops:
        assert shop.opening_hours.exists(), shop
        assert shop.gallery_images.exists(), shop
        assert all(photo.alt_text for photo in shop.gallery_images.all())
        assert shop.order_email.startswith("commandes@")

    bakery = MerchantPage.objects.get(categories__slug="boulangerie-patisserie")
    assert not bakery.opening_hours.filter(weekday=0).exists()
    assert bakery.opening_hours.filter(weekday=1, opens=time(6, 30)).exists()
    night_shop = MerchantPage.objects.get(categories__slug="night-shop")
    # Closing before opening means the range runs past midnight.
    assert night_shop.opening_hours.filter(opens=time(18), closes=time(1)).count() == 7


def test_small_demo_fills_home_page_campaign_content_pages_and_settings(client):
    seed()

    home = HomePage.objects.get(depth=2)
    assert home.hero_image is not None
    assert home.featured_shops.count() == 6
    assert home.featured_products.count() == 8
    assert len(home.how_it_works) == 3
    assert home.how_it_works_page.slug == "comment-ca-marche"

    campaign = CampaignPage.objects.live().get(slug="noel-dans-nos-commerces")
    assert campaign.is_running(timezone.localdate())
    assert campaign.banner is not None
    assert campaign.shops.exists() and campaign.products.exists()
    assert list(home.running_campaigns()) == [campaign]
    # Residents searching for "noel" find the campaign first.
    promoted = client.get("/search/?q=noel").content.decode().split('class="promotions"')[1]
    assert campaign.url in promoted.split("</section>")[0]

    for slug in CONTENT_PAGES:
        assert StandardPage.objects.live().filter(slug=slug).exists(), slug
    faq = StandardPage.objects.get(slug="questions-frequentes")
    assert [block.block_type for block in faq.body].count("faq_item") >= 5

    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert portal_settings.town_name == "Valbourg"
    assert portal_settings.privacy_page.slug == "vie-privee"
    assert portal_settings.legal_page.slug == "mentions-legales"
    assert portal_settings.accessibility_page.slug == "accessibilite"

    response = client.get("/")
    assert response.status_code == 200
    assert "Noël dans nos commerces" in response.content.decode()
    assert client.get(MerchantPage.objects.first().url).status_code == 200


def test_small_demo_users_can_log_in_with_their_roles(client, django_user_model):
    output = seed()

    baker = django_user_model.objects.get(username="boulanger")
    florist = django_user_model.objects.get(username="fleuriste")
    baker_shop = ShopMembership.objects.get(user=baker).shop
    florist_shop = ShopMembership.objects.get(user=florist).shop
    assert baker_shop != florist_shop
    assert baker_shop.categories.filter(slug="boulangerie-patisserie").exists()
    assert florist_shop.categories.filter(slug="fleuriste").exists()
    assert baker.has_perm("wagtailadmin.access_admin")
    assert florist.has_perm("wagtailadmin.access_admin")

    city_editor = django_user_model.objects.get(username="ville")
    assert city_editor.groups.filter(name=CITY_EDITORS_GROUP).exists()
    assert city_editor.has_perm("wagtailadmin.access_admin")
    assert django_user_model.objects.get(username="admin").is_superuser

    for username in ["admin", "ville", "boulanger", "fleuriste"]:
        assert client.login(request=HttpRequest(), username=username, password="demo"), username
        assert username in output
    assert f'merchant of "{baker_shop.title}"' in output


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8123")  # make run's HOST and PORT
def test_second_run_creates_and_saves_nothing_and_still_prints_log_ins():
    seed()
    before = database_snapshot()

    output = seed()

    assert database_snapshot() == before
    assert "created 0 shops, 0 products, 0 images, 0 other pages, 0 users" in output
    assert "Admin: http://127.0.0.1:8123/admin/" in output
    assert "Site: http://127.0.0.1:8123/" in output
    for username in ["admin", "ville", "boulanger", "fleuriste"]:
        assert username in output


def test_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.PORTAL_ALLOW_DEMO = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", size="small", stdout=io.StringIO())

    assert not MerchantPage.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_demo_password_comes_from_the_setting(settings, client):
    settings.PORTAL_DEMO_PASSWORD = "pain-perdu-42"

    output = seed()

    assert client.login(request=HttpRequest(), username="boulanger", password="pain-perdu-42")
    assert not client.login(request=HttpRequest(), username="boulanger", password="demo")
    assert "pain-perdu-42" in output
