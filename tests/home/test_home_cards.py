"""The cards a page puts forward (home, campaign): the editors' order, only what residents
may see, and what is kept until the next purge shows a change at once."""

from datetime import date

import pytest
from wagtail.models import PageViewRestriction

from home.models import CampaignPage, HomePageFeaturedProduct, HomePageFeaturedShop, StandardPage
from products.templatetags.product_tags import cards

from .. import builders, timetravel

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops():
    image = builders.make_image("Vitrine")
    first, second = builders.shop("Aux Délices"), builders.shop("Boucherie Martin")
    hidden = builders.shop("Fleurs secrètes")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return [builders.product(shop, image=image) for shop in (first, second, hidden)]


def feature(home, products, orders):
    for product, order in zip(products, orders, strict=True):
        HomePageFeaturedShop.objects.create(page=home, shop=product.shop, sort_order=order)
        HomePageFeaturedProduct.objects.create(page=home, product=product, sort_order=order)


def test_the_editors_order_and_only_what_residents_may_see(shops):
    home = builders.home_page()
    feature(home, shops, [2, 1, 0])
    chosen = cards(home.featured_shops.all(), home.featured_products.all(), recent=8)
    assert [shop.title for shop in chosen["shops"]] == ["Boucherie Martin", "Aux Délices"]
    assert chosen["products"] == [shops[1], shops[0]]
    assert {product.shop.title for product in chosen["recent_products"]} == {
        "Aux Délices",
        "Boucherie Martin",
    }
    # Every card's photo comes with its renditions, read with the others'.
    photo = chosen["products"][0].main_image
    assert "renditions" in photo.image._prefetched_objects_cache


def test_a_preview_shows_the_rows_not_saved_yet(shops):
    home = builders.home_page()
    home.featured_shops = [HomePageFeaturedShop(shop=shops[1].shop)]
    home.featured_products = [
        HomePageFeaturedProduct(product=shops[0]),
        HomePageFeaturedProduct(product=shops[2]),  # a private shop's: not shown
    ]
    chosen = cards(home.featured_shops.all(), home.featured_products.all())
    assert [shop.title for shop in chosen["shops"]] == ["Boucherie Martin"]
    assert chosen["products"] == [shops[0]]


def test_the_home_page_shows_a_new_category_at_once(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # pages rendered each time: the tiles' own cache
    builders.shop("Aux Délices", categories=[builders.category("Boulangerie")])
    assert "Boulangerie" in client.get("/").content.decode()
    builders.shop("Le Bouquet", categories=[builders.category("Fleuriste", "💐")])
    assert "Fleuriste" in client.get("/").content.decode()


def test_a_campaign_shows_from_its_first_day_and_when_published(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # pages rendered each time: the list's own cache
    home = builders.home_page()
    campaign = CampaignPage(
        title="Noël dans nos commerces", starts_on=date(2027, 12, 1), ends_on=date(2027, 12, 24)
    )
    home.add_child(instance=campaign)
    with timetravel.travel("2027-11-30T12:00:00+00:00"):
        assert "Noël dans nos commerces" not in client.get("/").content.decode()
    with timetravel.travel("2027-12-01T12:00:00+00:00"):
        assert "Noël dans nos commerces" in client.get("/").content.decode()
        campaign.unpublish()
        assert "Noël dans nos commerces" not in client.get("/").content.decode()


def test_the_how_it_works_link_follows_its_page(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    home = builders.home_page()
    guide = home.add_child(instance=StandardPage(title="Comment ça marche", slug="comment"))
    home.how_it_works_page = guide
    home.save_revision().publish()
    assert 'href="/comment/"' in client.get("/").content.decode()
    guide.slug = "mode-d-emploi"
    guide.save_revision().publish()
    assert 'href="/mode-d-emploi/"' in client.get("/").content.decode()
