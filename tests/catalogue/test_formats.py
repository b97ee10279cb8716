"""Reading the four kinds of catalogue source: each answer becomes items, or is refused.

Pure: the answers are built from payload files shaped like the real services' (Shopify's
public products.json as captured from live shops, WooCommerce's documented Store API,
Google Merchant Center's RSS and Atom examples, the import's CSV format); no network."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import DefusedXmlException
from django.utils import timezone

from catalogue.formats import FORMATS, csv_file, google_feed, shopify, woocommerce
from catalogue.items import NotACatalogue, Response
from catalogue.models import SourceKind

PAYLOADS = Path(__file__).parent / "payloads"
JSON = {"content-type": "application/json; charset=utf-8"}
HTML = {"content-type": "text/html; charset=utf-8"}
SHOP = "https://boulangerie-dupre.example"
WOO = "https://rucher-des-collines.example/wp-json/wc/store/v1/products?per_page=100&page=1"


def payload(name):
    return (PAYLOADS / name).read_bytes()


def answer(url, body, headers=JSON, status=200):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return Response(url=url, status=status, headers=dict(headers), body=body)


def by_key(page):
    return {item.source_key: item for item in page.items}


def test_one_module_per_kind_of_source():
    assert set(FORMATS) == set(SourceKind.values)
    for module in FORMATS.values():
        assert callable(module.first_url) and callable(module.read)


# Shopify


@pytest.mark.parametrize(
    "typed",
    [
        SHOP,
        SHOP + "/",
        SHOP + "/products.json",
        SHOP + "/collections/pains?sort_by=price",
        SHOP + "/products/tarte-aux-pommes",
        " " + SHOP + "/ ",
    ],
)
def test_shopify_first_page_from_any_address_of_the_shop(typed):
    assert shopify.first_url(typed) == SHOP + "/products.json?limit=250&page=1"


def test_shopify_product_with_variants_of_different_prices():
    page = shopify.read(
        answer(SHOP + "/products.json?limit=250&page=1", payload("shopify_products_page1.json"))
    )

    tart = by_key(page)["7712345678901"]
    assert tart.where == "produit « Tarte aux pommes » (id 7712345678901)"
    assert tart.name == "Tarte aux pommes"
    assert tart.description == "Pommes reinettes du verger d'à côté, pâte brisée au beurre AOP."
    assert tart.price == Decimal("3.50") and tart.from_price
    assert tart.former_price is None  # the cheapest variant has no compare-at price
    assert tart.availability == "in_stock"  # the whole tart is, the slice is not
    assert tart.sku == "TARTE-POM-PART"  # the first variant's
    assert tart.images == [
        "https://cdn.shopify.com/s/files/1/0612/3456/7890/products/tarte-pommes.jpg?v=1730535241",
        "https://cdn.shopify.com/s/files/1/0612/3456/7890/products/tarte-entiere.jpg?v=1730535242",
    ]
    assert tart.categories == ["Pâtisseries"]
    assert tart.brand == "Boulangerie Dupré"
    assert tart.link == SHOP + "/products/tarte-aux-pommes"
    assert tart.is_active and not tart.errors


def test_shopify_variants_of_one_price_are_not_a_from_price():
    baguette = by_key(
        shopify.read(
            answer(SHOP + "/products.json?limit=250&page=1", payload("shopify_products_page1.json"))
        )
    )["7712345678902"]

    assert baguette.name == "Baguette tradition 🥖"
    assert baguette.price == Decimal("1.30") and not baguette.from_price
    assert baguette.former_price is None  # "" is no compare-at price
    assert baguette.description == "" and baguette.images == []
    assert not baguette.errors


def test_shopify_compare_at_price_above_the_price_is_the_former_price():
    data = json.loads(payload("shopify_products_page1.json"))
    tart = data["products"][0]
    tart["variants"] = tart["variants"][1:]  # the whole tart alone: 24.00, was 26.00

    item = shopify.read(answer(SHOP + "/products.json?limit=250&page=1", data)).items[0]

    assert item.price == Decimal("24.00") and item.former_price == Decimal("26.00")
    assert not item.from_price


def test_shopify_unavailable_product_price_without_decimals_and_unicode():
    page = shopify.read(
        answer(SHOP + "/products.json?limit=250&page=2", payload("shopify_products_page2.json"))
    )

    roll = page.items[0]
    assert roll.name == "抹茶ロール – Roulé au matcha"
    assert roll.price == Decimal("18")
    assert roll.former_price is None  # a compare-at price below the price is none
    assert roll.availability == "out_of_stock"
    assert roll.sku == "" and roll.brand == "" and roll.categories == []
    assert roll.description == ""
    assert not roll.errors


def test_shopify_pages_go_on_while_full():
    first = shopify.read(
        answer(SHOP + "/products.json?limit=2&page=1", payload("shopify_products_page1.json"))
    )
    assert first.next_url == SHOP + "/products.json?limit=2&page=2"

    last = shopify.read(answer(first.next_url, payload("shopify_products_page2.json")))
    assert last.next_url is None


def test_shopify_page_under_the_limit_or_empty_is_the_last():
    full_size = SHOP + "/products.json?limit=250&page=1"
    assert shopify.read(answer(full_size, payload("shopify_products_page1.json"))).next_url is None

    empty = shopify.read(answer(SHOP + "/products.json?limit=2&page=3", {"products": []}))
    assert empty.items == [] and empty.next_url is None


def test_shopify_barcode_is_a_gtin_only_when_it_is_one():
    data = json.loads(payload("shopify_products_page2.json"))
    variant = data["products"][0]["variants"][0]
    for barcode, gtin in [
        ("3760123450012", "3760123450012"),
        ("12345678", "12345678"),
        ("012345678905", "012345678905"),
        ("ABC-123", ""),
        ("123456789", ""),
        (None, ""),
    ]:
        variant["barcode"] = barcode
        item = shopify.read(answer(SHOP + "/products.json?limit=250&page=1", data)).items[0]
        assert item.gtin == gtin, barcode


def test_shopify_draft_is_not_active():
    data = json.loads(payload("shopify_products_page2.json"))
    data["products"][0]["published_at"] = None

    item = shopify.read(answer(SHOP + "/products.json?limit=250&page=1", data)).items[0]

    assert not item.is_active and not item.errors


def test_shopify_invalid_items_carry_their_errors():
    data = json.loads(payload("shopify_products_page1.json"))
    tart, baguette = data["products"]
    tart["variants"][1]["price"] = "vingt"
    baguette["title"] = "  "
    baguette["variants"] = []

    page = shopify.read(answer(SHOP + "/products.json?limit=250&page=1", data))

    tart_item, baguette_item = page.items
    assert tart_item.errors == ["« vingt » n’est pas un prix."]
    assert tart_item.price is None
    assert baguette_item.errors == ["Le prix manque.", "Le nom manque."]


def test_shopify_password_page_is_not_a_catalogue():
    password = answer(SHOP + "/password", payload("shopify_password.html"), HTML)

    with pytest.raises(NotACatalogue, match="protégée par un mot de passe"):
        shopify.read(password)


@pytest.mark.parametrize(
    "body, headers",
    [
        (b"<!DOCTYPE html><html><body>Bienvenue</body></html>", HTML),
        (b"<html><body>Bienvenue</body></html>", {"content-type": "application/json"}),
        (b'{"product": {"id": 1}}', JSON),
        (b'{"products": "none"}', JSON),
        (b'{"products": [1, 2]}', JSON),
        (b"[]", JSON),
        (b"not json at all", JSON),
        (b"\xff\xfe\x00", JSON),
    ],
)
def test_shopify_other_answers_are_not_a_catalogue(body, headers):
    with pytest.raises(NotACatalogue):
        shopify.read(answer(SHOP + "/products.json?limit=250&page=1", body, headers))


# WooCommerce


@pytest.mark.parametrize(
    "typed, first",
    [
        ("https://rucher.example", "https://rucher.example"),
        ("https://rucher.example/", "https://rucher.example"),
        ("https://rucher.example/boutique/", "https://rucher.example"),
        ("https://rucher.example/produit/miel-de-lavande/", "https://rucher.example"),
        ("https://rucher.example/wp-json/wc/store/v1/products", "https://rucher.example"),
        ("https://example.org/rucher/", "https://example.org/rucher"),
    ],
)
def test_woocommerce_first_page_from_the_shops_root(typed, first):
    assert (
        woocommerce.first_url(typed) == first + "/wp-json/wc/store/v1/products?per_page=100&page=1"
    )


def test_woocommerce_simple_product_on_sale():
    page = woocommerce.read(
        answer(WOO, payload("woocommerce_products_page1.json"), {**JSON, "x-wp-totalpages": "2"})
    )

    honey = by_key(page)["412"]
    assert honey.where == "produit « Miel de lavande – pot de 500 g » (id 412)"
    assert honey.name == "Miel de lavande – pot de 500 g"
    assert honey.description == "Récolté en juillet sur le plateau, non chauffé."
    assert honey.price == Decimal("12.50") and honey.former_price == Decimal("14.50")
    assert not honey.from_price
    assert honey.availability == "in_stock"
    assert honey.sku == "MIEL-LAV-500"
    assert honey.images == [
        "https://rucher-des-collines.example/wp-content/uploads/2026/07/miel-lavande.jpg"
    ]
    assert honey.categories == ["Miels & confitures"]
    assert honey.brand == "Rucher des Collines"
    assert honey.link == "https://rucher-des-collines.example/produit/miel-de-lavande/"
    assert honey.is_active and not honey.errors


def test_woocommerce_variable_product_from_its_lowest_price():
    page = woocommerce.read(answer(WOO, payload("woocommerce_products_page1.json")))

    candle = by_key(page)["420"]
    assert candle.price == Decimal("8.00") and candle.from_price
    assert candle.former_price is None
    assert candle.sku == "BOUGIE"
    assert candle.description == "Coulée à la main."  # no short description: the long one
    assert candle.brand == ""


def test_woocommerce_variable_product_of_one_price():
    data = json.loads(payload("woocommerce_products_page1.json"))
    data[1]["prices"]["price_range"] = None  # what the Store API gives when prices are equal

    candle = woocommerce.read(answer(WOO, data)).items[1]

    assert candle.price == Decimal("8.00") and not candle.from_price


def test_woocommerce_variable_product_on_sale_has_no_former_price():
    data = json.loads(payload("woocommerce_products_page1.json"))
    data[1]["on_sale"] = True  # one variant is; the regular price is the lowest of all
    data[1]["prices"].update(regular_price="1000", sale_price="800")

    candle = woocommerce.read(answer(WOO, data)).items[1]

    assert candle.price == Decimal("8.00") and candle.from_price
    assert candle.former_price is None


def test_woocommerce_availability_from_stock_backorder_and_low_stock():
    page = woocommerce.read(answer(WOO, payload("woocommerce_products_page2.json")))

    items = by_key(page)
    assert items["431"].availability == "limited"
    assert items["431"].name == "Pain d’épices 🍯" and items["431"].price == Decimal("9.00")
    assert items["440"].availability == "on_order"
    assert items["440"].description == "75 cl"
    assert items["450"].availability == "out_of_stock"
    assert not any(item.errors for item in page.items)


@pytest.mark.parametrize(
    "minor, price, expected",
    [(2, "1250", Decimal("12.50")), (0, "1250", Decimal("1250")), (3, "12500", Decimal("12.5"))],
)
def test_woocommerce_prices_in_the_currencys_minor_unit(minor, price, expected):
    data = json.loads(payload("woocommerce_products_page2.json"))[:1]
    data[0]["prices"].update(currency_minor_unit=minor, price=price)

    item = woocommerce.read(answer(WOO, data)).items[0]

    assert item.price == expected and not item.errors


def test_woocommerce_invalid_items_carry_their_errors():
    data = json.loads(payload("woocommerce_products_page2.json"))
    data[0]["prices"]["price"] = "douze"
    data[1]["prices"]["currency_code"] = "USD"
    data[2]["prices"].update(currency_minor_unit=3, price="12345")  # 12.345: no cent

    page = woocommerce.read(answer(WOO, data))

    assert [item.errors for item in page.items] == [
        ["« douze » n’est pas un prix."],
        ["Le prix est en USD : le portail affiche les prix en euros."],
        ["« 12.345 » n’est pas un prix en euros et centimes."],
    ]


def test_woocommerce_pages_from_the_total_pages_header():
    first = woocommerce.read(
        answer(WOO, payload("woocommerce_products_page1.json"), {**JSON, "x-wp-totalpages": "2"})
    )
    assert first.next_url == WOO.replace("&page=1", "&page=2")

    last = woocommerce.read(
        answer(
            first.next_url,
            payload("woocommerce_products_page2.json"),
            {**JSON, "x-wp-totalpages": "2"},
        )
    )
    assert last.next_url is None


def test_woocommerce_without_the_header_a_full_page_has_a_next_one():
    two_a_page = WOO.replace("per_page=100", "per_page=2")
    full = woocommerce.read(answer(two_a_page, payload("woocommerce_products_page1.json")))
    assert full.next_url == two_a_page.replace("&page=1", "&page=2")

    short = woocommerce.read(answer(WOO, payload("woocommerce_products_page1.json")))
    assert short.next_url is None


def test_woocommerce_empty_shop_is_an_empty_page():
    page = woocommerce.read(answer(WOO, b"[]", {**JSON, "x-wp-totalpages": "0"}))

    assert page.items == [] and page.next_url is None


@pytest.mark.parametrize(
    "body, headers",
    [
        (b"<!doctype html><html><head><title>Page introuvable</title></head></html>", HTML),
        (b'{"code":"rest_no_route","message":"Aucune route","data":{"status":404}}', JSON),
        (b'[{"id": 1, "title": {"rendered": "Bonjour"}}]', JSON),  # WordPress posts
        (b'{"products": []}', JSON),  # Shopify's answer
    ],
)
def test_woocommerce_other_answers_are_not_a_catalogue(body, headers):
    with pytest.raises(NotACatalogue):
        woocommerce.read(answer(WOO, body, headers))


# Google product feed

FEED = "https://fleurs-et-cie.example/feeds/google.xml"
XML = {"content-type": "application/rss+xml"}


def test_google_feed_address_is_the_address_typed():
    assert google_feed.first_url(f" {FEED} ") == FEED


def test_google_rss_feed_items():
    page = google_feed.read(answer(FEED, payload("google_feed.rss.xml"), XML))

    assert page.next_url is None
    items = by_key(page)
    bouquet = items["BOUQ-01"]
    assert bouquet.where == "produit « Bouquet « Été indien » » (id BOUQ-01)"
    assert bouquet.name == "Bouquet « Été indien »"
    assert bouquet.description == "Dahlias, zinnias & cosmos.Livré avec sa carte."
    assert bouquet.link == "https://fleurs-et-cie.example/bouquet-ete-indien"
    assert bouquet.price == Decimal("34.50") and bouquet.former_price == Decimal("39.90")
    assert bouquet.availability == "in_stock"  # "in stock", with a space
    assert bouquet.images == [
        "https://fleurs-et-cie.example/img/bouquet-ete.jpg",
        "https://fleurs-et-cie.example/img/bouquet-ete-2.jpg",
        "https://fleurs-et-cie.example/img/bouquet-ete-3.jpg",
    ]
    assert bouquet.categories == ["Bouquets de saison", "Fleurs"]
    assert bouquet.brand == "Fleurs & Cie"
    assert not bouquet.errors

    vase = items["VASE-12"]  # title, link and description in the g: namespace
    assert vase.name == "Vase en grès 花瓶"
    assert vase.description == "Grès émaillé, fait main à 12 km d’ici."
    assert vase.link == "https://fleurs-et-cie.example/vase-gres"
    assert vase.price == Decimal("45") and vase.former_price is None
    assert vase.availability == "on_order"  # preorder
    assert vase.gtin == "3760123450012" and vase.mpn == "VG-12"
    assert vase.categories == []  # Google's category by its number only
    assert not vase.errors

    seeds = items["GRAINES-3"]
    assert seeds.price == Decimal("2.5") and seeds.availability == "on_order"  # backorder
    assert seeds.images == [] and not seeds.errors


def test_google_feed_variants_sharing_a_group_are_one_item():
    items = by_key(google_feed.read(answer(FEED, payload("google_feed.rss.xml"), XML)))

    assert "TS-VILLE-S" not in items and "TS-VILLE-XL" not in items
    shirt = items["TS-VILLE"]
    assert shirt.where == "produit « T-shirt « J’aime ma ville » » (id TS-VILLE)"
    assert shirt.price == Decimal("12.00") and shirt.from_price
    assert shirt.former_price == Decimal("18.00")  # the cheapest variant's, on sale
    assert shirt.availability == "in_stock"  # XL is, S is not
    assert shirt.link == "https://fleurs-et-cie.example/t-shirt-ville?taille=S"
    assert shirt.images == [
        "https://fleurs-et-cie.example/img/t-shirt.jpg",
        "https://fleurs-et-cie.example/img/t-shirt-dos.jpg",
    ]
    assert shirt.gtin == ""  # each variant has its own
    assert not shirt.errors


def test_google_feed_invalid_items_carry_their_errors():
    items = by_key(google_feed.read(answer(FEED, payload("google_feed.rss.xml"), XML)))

    assert items["CARTE-CADEAU"].errors == ["Le prix manque."]
    assert items["CARTE-CADEAU"].availability == "out_of_stock"
    assert items["ORCH-US"].errors == ["Le prix est en USD : le portail affiche les prix en euros."]
    assert items["ORCH-US"].price is None


def feed_of(*items):
    return (
        '<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel>'
        f"{''.join(items)}</channel></rss>"
    ).encode()


def cup_at(price, more="", key="A"):
    """A feed's item: a cup at this price (and these other fields)."""
    return f"<item><g:id>{key}</g:id><title>Tasse</title><g:price>{price}</g:price>{more}</item>"


@pytest.mark.parametrize(
    "price, sale, expected, former",
    [
        ("12.50 EUR", "", Decimal("12.50"), None),
        ("12,50 EUR", "", Decimal("12.50"), None),
        ("12.5 EUR", "", Decimal("12.5"), None),
        ("EUR 12.50", "", Decimal("12.50"), None),
        ("12 EUR", "10.00 EUR", Decimal("10.00"), Decimal("12.00")),
        ("12 EUR", "14.00 EUR", Decimal("12"), None),  # a "sale" above the price is none
    ],
)
def test_google_feed_prices(price, sale, expected, former):
    sale_price = f"<g:sale_price>{sale}</g:sale_price>" if sale else ""

    item = google_feed.read(answer(FEED, feed_of(cup_at(price, sale_price)), XML)).items[0]

    assert (item.price, item.former_price, item.errors) == (expected, former, [])


@pytest.mark.parametrize(
    "price, error",
    [
        ("douze EUR", "« douze EUR » n’est pas un prix."),
        ("12.50 GBP", "Le prix est en GBP : le portail affiche les prix en euros."),
        ("12.505 EUR", "« 12.505 » n’est pas un prix en euros et centimes."),
        ("-3 EUR", "Le prix ne peut pas être négatif."),
    ],
)
def test_google_feed_invalid_prices(price, error):
    item = google_feed.read(answer(FEED, feed_of(cup_at(price)), XML)).items[0]

    assert item.errors == [error]


@pytest.mark.dated
@pytest.mark.parametrize(
    "start, end, on_sale",
    [
        (-timedelta(days=1), timedelta(days=1), True),
        (-timedelta(days=10), -timedelta(hours=1), False),  # the sale is over
        (timedelta(hours=1), timedelta(days=3), False),  # it has not begun
    ],
)
def test_google_feed_sale_price_only_in_its_period(start, end, on_sale):
    now = timezone.now()
    period = f"{(now + start).isoformat()}/{(now + end).isoformat()}"
    sale = f"<g:sale_price>9 EUR</g:sale_price><g:sale_price_effective_date>{period}"
    sale += "</g:sale_price_effective_date>"

    (cup,) = google_feed.read(answer(FEED, feed_of(cup_at("12 EUR", sale)), XML)).items

    assert cup.price == (Decimal("9") if on_sale else Decimal("12"))
    assert cup.former_price == (Decimal("12") if on_sale else None)


@pytest.mark.dated
def test_google_feed_sale_period_in_days_and_unreadable():
    today = timezone.localdate()
    whole_day = f"{today.isoformat()}/{today.isoformat()}"
    for period, price in [(whole_day, Decimal("9")), ("bientôt/Noël", Decimal("12"))]:
        sale = "<g:sale_price>9 EUR</g:sale_price>"
        sale += f"<g:sale_price_effective_date>{period}</g:sale_price_effective_date>"

        (cup,) = google_feed.read(answer(FEED, feed_of(cup_at("12 EUR", sale)), XML)).items

        assert cup.price == price and not cup.errors, period


def test_google_feed_variant_with_an_invalid_price_makes_its_product_invalid():
    variant = "<g:item_group_id>TASSE</g:item_group_id>"
    feed = feed_of(cup_at("8 EUR", variant, key="A"), cup_at("huit", variant, key="B"))

    (cup,) = google_feed.read(answer(FEED, feed, XML)).items

    assert cup.source_key == "TASSE"
    assert cup.errors == ["« huit » n’est pas un prix."] and cup.price is None


def test_google_feed_item_without_id_or_with_an_unknown_availability():
    feed = feed_of(
        "<item><title>Tasse</title><g:price>8 EUR</g:price></item>",
        "<item><g:id>B</g:id><title>Bol</title><g:price>9 EUR</g:price>"
        "<g:availability>bientôt</g:availability></item>",
        "<item><g:id>B</g:id><title>Bol bis</title><g:price>9 EUR</g:price></item>",
    )

    no_id, unknown, again = google_feed.read(answer(FEED, feed, XML)).items

    assert no_id.where == "article 1 du flux"
    assert no_id.errors == ["Le produit n’a pas d’identifiant (g:id)."]
    assert unknown.errors == [
        "« bientôt » n’est pas une disponibilité : in_stock, out_of_stock, preorder, backorder."
    ]
    assert again.errors == ["Le même identifiant est aussi donné à produit « Bol » (id B)."]


def test_google_atom_feed_items():
    page = google_feed.read(
        answer(FEED, payload("google_feed.atom.xml"), {"content-type": "application/atom+xml"})
    )

    book, notebook = page.items
    assert book.source_key == "9782070360024"
    assert book.name == "L’Étranger — Albert Camus"
    assert book.link == "https://librairie-du-port.example/livres/l-etranger"
    assert book.description == "Poche, Folio n° 2."
    assert book.price == Decimal("8.90") and book.gtin == "9782070360024"
    assert book.brand == "Gallimard" and not book.errors
    assert notebook.name == "Carnet A5 ligné"
    assert notebook.link == "https://librairie-du-port.example/papeterie/carnet-a5"
    assert notebook.description == "Papier recyclé."
    assert notebook.price == Decimal("6.50") and notebook.availability == "out_of_stock"
    assert page.next_url is None


def test_google_feed_without_items_is_an_empty_page():
    feed = (
        b'<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">'
        b"<channel><title>Fleurs &amp; Cie</title></channel></rss>"
    )

    page = google_feed.read(answer(FEED, feed, XML))

    assert page.items == [] and page.next_url is None


@pytest.mark.parametrize(
    "body",
    [
        # A blog's feed: items, but none of Google's fields.
        b'<rss version="2.0"><channel><item><title>Nos horaires</title>'
        b"<link>https://fleurs.example/horaires</link></item></channel></rss>",
        b'<rss version="2.0"><channel><title>Blog</title></channel></rss>',
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
        b"<rss><channel><item><g:id>1</g:id>",  # cut short
        b'{"products": []}',
        b"",
    ],
)
def test_google_other_answers_are_not_a_catalogue(body):
    with pytest.raises(NotACatalogue):
        google_feed.read(answer(FEED, body, XML))


@pytest.mark.parametrize(
    "page",
    [
        b"<!DOCTYPE html><html><body><h1>Erreur 404</h1></body></html>",
        # XHTML is XML: only its beginning says it is a page.
        b'<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<body><p>Erreur 404</p></body></html>",
    ],
)
def test_google_feed_html_page_is_not_a_catalogue(page):
    with pytest.raises(NotACatalogue, match="page web"):
        google_feed.read(answer(FEED, page, HTML))


def test_google_feed_labelled_as_a_web_page_is_read_all_the_same():
    # Feed plug-ins and tills' scripts often answer "text/html" whatever they send.
    page = google_feed.read(answer(FEED, payload("google_feed.atom.xml"), HTML))

    assert [item.source_key for item in page.items] == ["9782070360024", "CARNET-A5"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><item>
<g:id>1</g:id><title>&lol9;</title><g:price>1 EUR</g:price>
</item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><item>
<g:id>1</g:id><title>&secret;</title><g:price>1 EUR</g:price>
</item></channel></rss>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><item>
<g:id>1</g:id><title>Tasse</title><g:price>1 EUR</g:price>
</item></channel></rss>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_google_feed_xml_attacks_are_refused_unexpanded(body):
    with pytest.raises(NotACatalogue, match="flux de produits") as refused:
        google_feed.read(answer(FEED, body, XML))

    # Refused by the parser's guard when it met the declaration: before any entity was
    # expanded or any external resource read.
    assert isinstance(refused.value.__context__, DefusedXmlException)


# CSV file at an address

CSV_URL = "https://boulangerie-dupre.example/export/produits.csv"
CSV = {"content-type": "text/csv; charset=utf-8"}


def test_csv_address_is_the_address_typed():
    assert csv_file.first_url(CSV_URL) == CSV_URL


def test_csv_lines_in_the_imports_format():
    page = csv_file.read(answer(CSV_URL, payload("catalogue.csv"), CSV))

    loaf, croissant, eclair = page.items
    assert page.next_url is None
    assert (loaf.source_key, loaf.where) == ("PAIN-CAMP", "ligne 2")
    assert loaf.name == "Pain de campagne" and loaf.price == Decimal("3.20")
    assert loaf.description == "Levain naturel & farine T80"
    assert loaf.categories == ["Pains"] and loaf.sku == "PAIN-CAMP"
    assert loaf.availability == "in_stock" and not loaf.errors
    # Without a reference, the line's product is known by its name.
    assert (croissant.source_key, croissant.where) == ("Croissant", "ligne 3")
    assert croissant.availability == "out_of_stock" and not croissant.errors
    assert eclair.name == "Éclair café ☕"
    assert eclair.errors == ["« deux euros » n’est pas un prix."]


def test_csv_shopify_export_at_an_address():
    export = (
        b"Handle,Title,Body (HTML),Type,Variant SKU,Variant Price,Variant Inventory Qty,Status\n"
        b"brioche,Brioche,<p>Au beurre</p>,Viennoiseries,BRI-1,6.00,0,active\n"
        b"brioche,,,,BRI-2,8.00,4,\n"
    )

    (brioche,) = csv_file.read(answer(CSV_URL, export, CSV)).items

    assert (brioche.source_key, brioche.where) == ("BRI-1", "ligne 2")
    assert brioche.price == Decimal("6.00") and brioche.description == "Au beurre"
    assert brioche.availability == "out_of_stock" and brioche.is_active


def test_csv_header_alone_is_an_empty_page():
    page = csv_file.read(answer(CSV_URL, "nom;prix;référence\n".encode(), CSV))

    assert page.items == []


def test_csv_labelled_as_a_web_page_is_read_all_the_same():
    page = csv_file.read(answer(CSV_URL, payload("catalogue.csv"), HTML))

    assert [item.source_key for item in page.items] == ["PAIN-CAMP", "Croissant", "ECL-CAF"]


@pytest.mark.parametrize(
    "body, headers, message",
    [
        (b"<!doctype html><html><body>Connexion</body></html>", HTML, "page web"),
        (
            b"\xef\xbb\xbf\n  <!-- served by the CMS --><HTML lang=fr><body>Connexion</body>",
            CSV,
            "page web",
        ),
        (b"colonne;autre\nvaleur;x\n", CSV, "colonnes de ce fichier ne sont pas reconnues"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", {"content-type": "image/png"}, "pas un fichier texte"),
        (b"", CSV, "aucun produit"),
    ],
)
def test_csv_other_answers_are_not_a_catalogue(body, headers, message):
    with pytest.raises(NotACatalogue, match=message):
        csv_file.read(answer(CSV_URL, body, headers))
