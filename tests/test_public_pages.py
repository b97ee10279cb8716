"""Every page type a resident sees answers 200 and shows its key content."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from home.models import (
    CampaignPage,
    CampaignProduct,
    CampaignShop,
    HomePageFeaturedProduct,
    HomePageFeaturedShop,
    StandardPage,
)
from merchants.models import OpeningHours

from . import builders

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_page_shows_hero_categories_how_it_works_and_recent_updates(client, bakery):
    home = builders.home_page()
    home.hero_title = "Achetez dans votre ville"
    home.how_it_works = [("step", {"title": "Retrait en boutique", "text": "Gratuit."})]
    home.save_revision().publish()
    builders.product(bakery, "Baguette tradition")

    page = html(client.get("/"))

    assert "<h1" in page and "Achetez dans votre ville" in page
    assert "?category=boulangerie" in page  # a category tile links to the filtered index
    assert "Retrait en boutique" in page
    assert "5,00\u00a0€" in page  # the default delivery fee, from the site settings
    assert "Baguette tradition" in page  # recently updated


def test_home_page_lists_featured_items_chosen_by_editors(client, bakery, flower_shop):
    home = builders.home_page()
    rose = builders.product(flower_shop, "Rose rouge")
    HomePageFeaturedShop.objects.create(page=home, shop=bakery)
    HomePageFeaturedProduct.objects.create(page=home, product=rose)
    page = html(client.get("/"))
    assert "Boulangerie Dupont" in page
    assert "Rose rouge" in page


@pytest.mark.dated
def test_home_page_shows_running_campaigns_only(client, bakery):
    today = timezone.localdate()
    home = builders.home_page()
    running = CampaignPage(
        title="Noël dans nos commerces",
        slug="noel",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=20),
    )
    past = CampaignPage(
        title="Braderie de printemps",
        slug="braderie",
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=30),
    )
    home.add_child(instance=running)
    home.add_child(instance=past)
    page = html(client.get("/"))
    assert "Noël dans nos commerces" in page
    assert "Braderie de printemps" not in page


@pytest.mark.dated
def test_campaign_page_lists_its_shops_and_products(client, bakery, flower_shop):
    today = timezone.localdate()
    campaign = CampaignPage(
        title="Noël dans nos commerces",
        slug="noel",
        starts_on=today,
        ends_on=today + timedelta(days=10),
    )
    builders.home_page().add_child(instance=campaign)
    bouquet = builders.product(flower_shop, "Bouquet de Noël")
    CampaignShop.objects.create(page=campaign, shop=bakery)
    CampaignProduct.objects.create(page=campaign, product=bouquet)
    page = html(client.get(campaign.url))
    assert "Boulangerie Dupont" in page
    assert "Bouquet de Noël" in page


def test_standard_page_renders_its_blocks(client):
    page_obj = StandardPage(
        title="Questions fréquentes",
        slug="faq",
        intro="Tout savoir.",
        body=[
            ("heading", {"text": "Commander", "level": "h2"}),
            ("paragraph", "<p>Ajoutez des produits à votre demande.</p>"),
            ("faq_item", {"question": "Faut-il payer en ligne ?", "answer": "<p>Non.</p>"}),
        ],
    )
    builders.home_page().add_child(instance=page_obj)
    page = html(client.get(page_obj.url))
    assert "<h2>Commander</h2>" in page
    assert "Ajoutez des produits" in page
    assert "<summary>Faut-il payer en ligne ?</summary>" in page


def test_shop_index_lists_published_shops_only(client, bakery, flower_shop):
    draft = builders.shop("Boucherie en préparation", publish=False)
    page = html(client.get(builders.shop_index().url))
    assert "Boulangerie Dupont" in page and "Fleurs de Lys" in page
    assert draft.title not in page
    assert "2 commerces" in page


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("category=fleuriste", "Fleurs de Lys", "Boulangerie Dupont"),
        ("neighbourhood=centre", "Boulangerie Dupont", "Fleurs de Lys"),
        ("service=delivery", "Boulangerie Dupont", "Fleurs de Lys"),
    ],
)
def test_shop_index_filters_with_plain_links(client, bakery, flower_shop, query, shown, hidden):
    page = html(client.get(f"{builders.shop_index().url}?{query}"))
    assert shown in page
    assert hidden not in page
    assert "remove this filter" in page or "retirer ce filtre" in page


@pytest.mark.dated
def test_shop_index_open_now_filter_uses_opening_hours(client, bakery, flower_shop):
    OpeningHours.objects.all().delete()
    today = timezone.localdate().weekday()
    # Open all day, whatever the time the test runs: 00:00–12:00 and 12:00 to midnight.
    OpeningHours.objects.create(shop=bakery, weekday=today, opens="00:00", closes="12:00")
    OpeningHours.objects.create(shop=bakery, weekday=today, opens="12:00", closes="00:00")
    page = html(client.get(f"{builders.shop_index().url}?open_now=on"))
    assert "Boulangerie Dupont" in page
    assert "Fleurs de Lys" not in page


def test_shop_index_keeps_valid_filters_beside_a_bad_one(client, bakery, flower_shop):
    url = f"{builders.shop_index().url}?category=nope&service=delivery&page=abc"
    page = html(client.get(url))
    # The unknown category is reported next to its field, not a 500; the valid service
    # filter still applies (only the bakery delivers).
    assert 'class="field__error"' in page
    assert "Boulangerie Dupont" in page
    assert "Fleurs de Lys" not in page


def test_shop_index_paginates(client, settings):
    settings.PORTAL_SHOPS_PER_PAGE = 2
    for number in range(5):
        builders.shop(f"Commerce {number}")
    index_url = builders.shop_index().url
    first, last = html(client.get(index_url)), html(client.get(f"{index_url}?page=3"))
    # The map lists every shop; the cards are what a page shows.
    assert ">Commerce 0</a>" in first and ">Commerce 4</a>" not in first
    assert ">Commerce 4</a>" in last and 'rel="prev"' in last


def test_shop_page_shows_details_hours_services_and_products(client, bakery):
    builders.product(bakery, "Croissant pur beurre", price=Decimal("1.20"), unit_label="la pièce")
    builders.product(bakery, "Pain caché", is_active=False)
    page = html(client.get(bakery.url))
    assert "<h1" in page and "Boulangerie Dupont" in page
    assert "rue des Tests" in page and "7000 Valbourg" in page
    assert "09:00–12:30, 14:00–18:30" in page
    assert "Croissant pur beurre" in page and "1,20\u00a0€" in page
    assert "Pain caché" not in page
    assert "7000, 7011" in page  # delivery postcodes


def test_private_order_email_appears_on_no_public_page(client, bakery):
    bread = builders.product(bakery, "Pain gris")
    for url in [bakery.url, bread.url, "/", "/search/?q=boulangerie", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert bakery.order_email not in response.content.decode(), url


@pytest.mark.parametrize("page_number", ["abc", "99", "-1"])
def test_shop_page_survives_a_stale_pagination_link(client, bakery, page_number):
    builders.product(bakery, "Pain gris")
    page = html(client.get(f"{bakery.url}?page={page_number}"))
    assert "Pain gris" in page


def test_product_page_lives_under_its_shop(client, bakery):
    image = builders.make_image("Baguette")
    baguette = builders.product(
        bakery,
        "Baguette tradition",
        price=Decimal("1.30"),
        former_price=Decimal("1.50"),
        image=image,
    )
    page = html(client.get(f"{bakery.url}baguette-tradition/"))
    assert baguette.url == f"{bakery.url}baguette-tradition/"
    assert "<h1>Baguette tradition</h1>" in page
    assert "1,30\u00a0€" in page and "<del>1,50\u00a0€</del>" in page
    assert 'alt="Photo de Baguette tradition"' in page
    assert "<picture>" in page and "srcset=" in page and "image/webp" in page


def test_hidden_product_and_another_shops_product_are_not_found(client, bakery, flower_shop):
    hidden = builders.product(bakery, "Secret", is_active=False)
    rose = builders.product(flower_shop, "Rose")
    assert client.get(f"{bakery.url}{hidden.slug}/").status_code == 404
    assert client.get(f"{bakery.url}{rose.slug}/").status_code == 404


def test_unknown_page_gets_the_sites_404(client, bakery):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Browse the shops" in response.content.decode() or "Parcourir" in (
        response.content.decode()
    )


def test_search_finds_products_and_shops(client, bakery, flower_shop):
    builders.product(bakery, "Baguette tradition")
    builders.product(flower_shop, "Tulipes jaunes")
    page = html(client.get("/search/?q=baguette"))
    assert "Baguette tradition" in page
    assert "Tulipes jaunes" not in page
    shops = html(client.get("/search/?q=fleurs"))
    assert 'id="shops-title"' in shops and "Fleurs de Lys" in shops


def test_products_of_a_private_shop_stay_private(client, bakery, flower_shop):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=flower_shop, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    builders.product(flower_shop, "Orchidée secrète")
    builders.product(bakery, "Pain gris")
    home = html(client.get("/"))
    assert "Pain gris" in home  # recently updated
    assert "Orchidée secrète" not in home
    assert "Orchidée secrète" not in html(client.get("/search/?q=orchid%C3%A9e"))


def test_search_hides_inactive_products_and_survives_odd_input(client, bakery):
    builders.product(bakery, "Baguette cachée", is_active=False)
    page = html(client.get("/search/?q=baguette"))
    assert "Baguette cachée" not in page
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200
    # Query syntax and control characters are words to search, never a 500.
    for query in ["%00", "%22", "a%22b(c", "*", "NEAR(", "%27%3B--"]:
        assert client.get(f"/search/?q={query}&page=-1").status_code == 200, query


def test_request_list_is_reachable_from_the_header(client, bakery):
    page = html(client.get("/"))
    assert 'href="/ma-demande/"' in page
    assert client.get("/ma-demande/").status_code == 200


def test_language_switch_turns_the_interface_to_english(client, bakery):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = html(response)
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_a_shop_not_saved_yet_can_be_previewed(rf, shop_index, admin_user):
    from merchants.models import MerchantPage

    shop = MerchantPage(
        title="Nouvelle boutique",
        slug="nouvelle-boutique",
        street_address="1 rue Neuve",
        postcode="7000",
        town="Valbourg",
    )
    # Wagtail's "preview on add" places the unsaved page under its future parent.
    shop.depth, shop.url_path = shop_index.depth + 1, shop_index.url_path + "nouvelle-boutique/"
    request = rf.get("/")
    request.user = admin_user

    response = shop.serve_preview(request, shop.default_preview_mode)

    assert response.status_code == 200
    assert "Nouvelle boutique" in response.rendered_content
