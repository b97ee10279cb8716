"""Shop and product pages are made to be found and shared: canonical address, description,
Open Graph card and schema.org data that match what the database says."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote, urlsplit

import extruct
import lxml.html
import pytest
from django.utils import timezone
from wagtail.images.models import Rendition

from home.models import StandardPage
from merchants.models import ShopGalleryImage
from merchants.structured_data import schema_type
from products.models import Availability

from . import builders

pytestmark = pytest.mark.django_db

SHARE_SPEC = "fill-1200x630"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def structured(html, url):
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    json_ld = {item["@type"]: item for item in data["json-ld"]}
    assert len(json_ld) == len(data["json-ld"]), "one object per type"
    open_graph = data["opengraph"][0] if data["opengraph"] else {}
    return json_ld, open_graph


def head(html, xpath):
    return lxml.html.fromstring(html).xpath(xpath)


def photo(shop, title="Vitrine", alt="La vitrine du fournil"):
    # Larger than the card, so that the rendition has the card's exact size.
    image = builders.make_image(title, size=(1600, 1000))
    ShopGalleryImage.objects.create(shop=shop, image=image, alt_text=alt)
    return image


@pytest.fixture
def baguette(bakery):
    image = builders.make_image("Baguette", size=(1600, 1000))
    return builders.product(
        bakery,
        "Baguette tradition",
        image=image,
        price=Decimal("2.5"),
        sku="BAG-01",
        category=builders.product_category("Pains"),
    )


# Shop page: LocalBusiness ----------------------------------------------------------------


@pytest.mark.dated
def test_shop_json_ld_matches_the_shop_in_the_database(client, bakery):
    bakery.phone = "065 12 34 56"
    bakery.save_revision().publish()
    today = timezone.localdate()
    builders.closure(bakery, today + timedelta(days=10), today + timedelta(days=12), "Congés")
    builders.closure(bakery, today - timedelta(days=30), today - timedelta(days=20), "Passé")

    json_ld, _ = structured(fetch(client, bakery.url), bakery.full_url)

    shop = json_ld["Bakery"]  # the category "Boulangerie" is a schema.org Bakery
    assert shop["name"] == "Boulangerie Dupont"
    assert shop["url"] == bakery.full_url
    assert shop["telephone"] == "065 12 34 56"
    assert shop["address"] == {
        "@type": "PostalAddress",
        "streetAddress": bakery.street_address,
        "postalCode": "7000",
        "addressLocality": "Valbourg",
        "addressCountry": "FR",
    }
    assert shop["geo"]["latitude"] == float(bakery.latitude)
    assert shop["geo"]["longitude"] == float(bakery.longitude)
    specifications = shop["openingHoursSpecification"]
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "14:00",
        "closes": "18:30",
    } in specifications
    # The builder gives Monday to Saturday, two ranges each; no Sunday.
    days = {spec.get("dayOfWeek") for spec in specifications}
    assert "https://schema.org/Sunday" not in days
    closures = [spec for spec in specifications if "validFrom" in spec]
    # Only the coming closure: a past one tells a search engine nothing.
    assert closures == [
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": (today + timedelta(days=10)).isoformat(),
            "validThrough": (today + timedelta(days=12)).isoformat(),
        }
    ]


def test_shop_json_ld_leaves_out_what_the_shop_did_not_give(client, bakery):
    bakery.latitude = bakery.longitude = None
    bakery.phone = ""
    bakery.save_revision().publish()
    json_ld, _ = structured(fetch(client, bakery.url), bakery.full_url)
    assert "geo" not in json_ld["Bakery"]
    assert "telephone" not in json_ld["Bakery"]


def test_shop_category_gives_the_closer_schema_type_or_local_business(bakery, flower_shop):
    cheese_shop = builders.shop("Chez Fromage", categories=[builders.category("Fromagerie")])
    assert schema_type(bakery) == "Bakery"
    assert schema_type(flower_shop) == "Florist"
    assert schema_type(cheese_shop) == "LocalBusiness"


def test_shop_name_cannot_end_the_json_ld_script(client, bakery):
    bakery.title = "Pains & Co </script><script>alert(1)</script>"
    bakery.save_revision().publish()
    html = fetch(client, bakery.url)
    assert "<script>alert(1)" not in html
    json_ld, _ = structured(html, bakery.full_url)
    assert json_ld["Bakery"]["name"] == bakery.title


# Breadcrumbs --------------------------------------------------------------------------------


def test_breadcrumb_list_follows_the_visible_breadcrumbs(client, bakery, baguette):
    index = builders.shop_index()
    home = builders.home_page()

    shop_json_ld, _ = structured(fetch(client, bakery.url), bakery.full_url)
    product_json_ld, _ = structured(fetch(client, baguette.url), baguette.url)

    def crumbs(json_ld):
        return [
            (item["position"], item["name"], item["item"])
            for item in json_ld["BreadcrumbList"]["itemListElement"]
        ]

    shop_trail = [
        (1, home.title, home.full_url),
        (2, index.title, index.full_url),
        (3, "Boulangerie Dupont", bakery.full_url),
    ]
    assert crumbs(shop_json_ld) == shop_trail
    product_url = bakery.full_url + "baguette-tradition/"
    assert crumbs(product_json_ld) == [*shop_trail, (4, "Baguette tradition", product_url)]


def test_home_page_has_no_breadcrumbs(client, bakery):
    json_ld, _ = structured(fetch(client, "/"), "http://localhost/")
    assert "BreadcrumbList" not in json_ld


# Product page: Product and Offer -----------------------------------------------------------


def test_product_json_ld_matches_the_product_in_the_database(client, bakery, baguette):
    product_url = bakery.full_url + "baguette-tradition/"
    json_ld, _ = structured(fetch(client, baguette.url), product_url)

    product = json_ld["Product"]
    assert product["name"] == "Baguette tradition"
    assert product["url"] == product_url
    assert product["sku"] == "BAG-01"
    assert product["category"] == "Pains"
    assert product["description"] == "Fait maison."
    assert SHARE_SPEC in product["image"]
    offer = product["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "2.50"  # a string with two decimals, never a float
    assert offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["name"] == "Boulangerie Dupont"
    assert offer["seller"]["url"] == bakery.full_url


@pytest.mark.parametrize(
    "availability, schema",
    [
        (Availability.OUT_OF_STOCK, "https://schema.org/OutOfStock"),
        (Availability.LIMITED, "https://schema.org/LimitedAvailability"),
        (Availability.ON_ORDER, "https://schema.org/BackOrder"),
    ],
)
def test_offer_availability_follows_the_product(client, baguette, availability, schema):
    baguette.availability = availability
    baguette.save()
    json_ld, _ = structured(fetch(client, baguette.url), "http://localhost/")
    assert json_ld["Product"]["offers"]["availability"] == schema


def test_seller_is_the_same_business_as_the_shop_page(client, bakery, baguette):
    shop_json_ld, _ = structured(fetch(client, bakery.url), bakery.full_url)
    product_json_ld, _ = structured(fetch(client, baguette.url), baguette.url)
    assert product_json_ld["Product"]["offers"]["seller"]["@id"] == shop_json_ld["Bakery"]["@id"]


# Open Graph and Twitter ---------------------------------------------------------------------


def test_product_card_shows_photo_name_and_price(client, bakery, baguette):
    html = fetch(client, baguette.url)
    _, og = structured(html, baguette.url)

    assert og["@type"] == "product"  # extruct reads og:type as the card's @type
    assert og["og:title"] == "Baguette tradition – 2,50\u00a0€"
    assert og["og:url"] == bakery.full_url + "baguette-tradition/"
    assert og["product:price:amount"] == "2.50"
    assert og["product:price:currency"] == "EUR"
    assert og["og:locale"] == "fr_FR"
    # The image is the product photo's 1200×630 rendition, at an absolute address.
    rendition = Rendition.objects.get(image=baguette.main_image.image, filter_spec=SHARE_SPEC)
    assert og["og:image"] == "http://localhost" + rendition.url
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert (rendition.width, rendition.height) == (1200, 630)
    assert og["og:image:alt"] == "Photo de Baguette tradition"
    assert head(html, "//meta[@name='twitter:card']/@content") == ["summary_large_image"]


def test_shop_card_uses_the_first_gallery_photo(client, bakery):
    image = photo(bakery)
    photo(bakery, "Comptoir", alt="Le comptoir")
    _, og = structured(fetch(client, bakery.url), bakery.full_url)
    assert og["@type"] == "website"
    assert og["og:title"] == "Boulangerie Dupont"
    assert og["og:site_name"] == "Commerces de Ma ville"
    rendition = Rendition.objects.get(image=image, filter_spec=SHARE_SPEC)
    assert og["og:image"].endswith(rendition.url)
    assert og["og:image:alt"] == "La vitrine du fournil"


def test_shop_without_a_photo_gets_a_small_card(client, flower_shop):
    html = fetch(client, flower_shop.url)
    _, og = structured(html, flower_shop.full_url)
    assert "og:image" not in og
    assert head(html, "//meta[@name='twitter:card']/@content") == ["summary"]


# Canonical address and description ---------------------------------------------------------


def test_canonical_is_the_absolute_address_without_query(client, bakery, baguette):
    shop_html = fetch(client, f"{bakery.url}?page=2&utm_source=facebook")
    product_html = fetch(client, f"{baguette.url}?fbclid=abc")
    assert head(shop_html, "//link[@rel='canonical']/@href") == [bakery.full_url]
    assert head(product_html, "//link[@rel='canonical']/@href") == [
        bakery.full_url + "baguette-tradition/"
    ]


def test_meta_description_defaults_to_the_content_then_to_the_editors_text(client, bakery):
    def description():
        return head(fetch(client, bakery.url), "//meta[@name='description']/@content")

    assert description() == ["Un commerce du centre"]  # the tagline
    bakery.search_description = "Le meilleur pain au levain de Valbourg."
    bakery.save_revision().publish()
    assert description() == ["Le meilleur pain au levain de Valbourg."]


def test_product_description_without_text_gives_name_price_and_shop(client, bakery):
    loaf = builders.product(bakery, "Pain gris", price=Decimal("3"), short_description="")
    html = fetch(client, loaf.url)
    assert head(html, "//meta[@name='description']/@content") == [
        "Pain gris — 3,00\u00a0€ — Boulangerie Dupont"
    ]


def test_long_description_is_cut_for_search_results(client, bakery):
    bakery.tagline = ""
    bakery.description = [("paragraph", "<p>" + "Pain au levain, " * 30 + "</p>")]
    bakery.save_revision().publish()
    (text,) = head(fetch(client, bakery.url), "//meta[@name='description']/@content")
    assert text.startswith("Pain au levain")
    assert len(text) <= 155


def test_content_page_description_comes_from_its_introduction(client, home):
    page = StandardPage(title="Comment ça marche", slug="comment", intro="Trois étapes simples.")
    home.add_child(instance=page)
    html = fetch(client, page.url)
    assert head(html, "//meta[@name='description']/@content") == ["Trois étapes simples."]
    assert head(html, "//link[@rel='canonical']/@href") == [page.full_url]


def test_page_without_text_is_described_by_the_sites_name(client, home):
    html = fetch(client, "/")
    assert head(html, "//meta[@name='description']/@content") == ["Commerces de Ma ville"]


# Share bar ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["shop", "product"])
def test_share_bar_uses_plain_links_to_the_page(client, bakery, baguette, page):
    url = bakery.full_url if page == "shop" else bakery.full_url + "baguette-tradition/"
    html = fetch(client, bakery.url if page == "shop" else baguette.url)
    links = head(html, "//div[@class='share-bar']//a/@href")
    encoded = quote(url, safe="")
    assert f"https://www.facebook.com/sharer/sharer.php?u={encoded}" in links
    assert any(link.startswith("https://wa.me/?text=") and encoded in link for link in links)
    assert any(link.startswith("mailto:?subject=") and encoded in link for link in links)
    assert url in links  # "copy the link" works as a plain link without JavaScript
    # No script from another site: sharing sends nothing until the resident clicks.
    for src in head(html, "//script/@src"):
        assert not urlsplit(src).netloc, src
