"""Importing products from a file: ours, Shopify's and WooCommerce's; all or nothing."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from home import page_cache
from merchants.models import ShopMembership
from products import importing
from products.models import Product

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The messages checked here are the source strings; the portal speaks French by default.
    with translation.override("en"):
        yield


OURS = """name;price;description;category;availability;sku
Baguette tradition;1,30;Croustillante;Pains;en stock;BAG-1
Croissant;1.20;;Viennoiseries;épuisé;CRO-1
"""

SHOPIFY = """Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,\
Variant SKU,Variant Inventory Qty,Variant Price,Image Src,Status
pain-noix,Pain aux noix,<p>Un pain <strong>rond</strong></p>,Dupont,Pains,,true,Taille,\
Petit,NOIX-P,4,4.20,https://example.org/1.jpg,active
pain-noix,,,,,,,,Grand,NOIX-G,0,6.80,,
pain-noix,,,,,,,,,,,,https://example.org/2.jpg,
brioche,Brioche,,Dupont,Viennoiseries,,true,Title,Default,BRI-1,0,5.00,,draft
"""

WOOCOMMERCE = """ID,Type,SKU,Name,Published,Short description,Description,In stock?,Stock,\
Regular price,Categories
10,simple,WC-1,Tarte aux pommes,1,Une tarte,,1,,12.50,Pâtisseries > Tartes
11,variable,WC-2,Cake,1,,<p>Un cake</p>,0,,8,Pains
12,variation,WC-2-S,Cake - Petit,1,,,1,,6,
"""


def plan_for(shop, text, encoding="utf-8"):
    return importing.parse(shop, text.encode(encoding))


@pytest.fixture
def categories():
    return {name: builders.product_category(name) for name in ("Pains", "Viennoiseries")}


def test_our_columns_with_semicolons_and_french_words(bakery, categories):
    plan = plan_for(bakery, OURS)

    assert plan.format == importing.OURS
    assert plan.is_valid
    importing.apply(plan)
    baguette = bakery.products.get(sku="BAG-1")
    croissant = bakery.products.get(sku="CRO-1")
    assert (baguette.name, baguette.price, baguette.availability) == (
        "Baguette tradition",
        Decimal("1.30"),
        "in_stock",
    )
    assert baguette.category == categories["Pains"]
    assert baguette.short_description == "Croustillante"
    assert croissant.availability == "out_of_stock"
    assert croissant.slug == "croissant"


def test_a_shopify_export_is_merged_by_handle(bakery, categories):
    plan = plan_for(bakery, SHOPIFY)

    assert plan.format == importing.SHOPIFY
    assert [row.name for row in plan.rows] == ["Pain aux noix", "Brioche"]
    importing.apply(plan)
    noix = bakery.products.get(sku="NOIX-P")  # the first variant's reference and price
    assert noix.price == Decimal("4.20")
    assert noix.short_description == "Un pain rond"
    assert noix.is_active and noix.availability == "in_stock"
    brioche = bakery.products.get(sku="BRI-1")
    assert brioche.is_active is False  # a draft in Shopify
    assert brioche.availability == "out_of_stock"
    assert bakery.products.count() == 2


def test_a_woocommerce_export_skips_variations(bakery, categories):
    plan = plan_for(bakery, WOOCOMMERCE)

    assert plan.format == importing.WOOCOMMERCE
    assert [row.name for row in plan.rows] == ["Tarte aux pommes", "Cake"]
    importing.apply(plan)
    tarte = bakery.products.get(sku="WC-1")
    assert tarte.price == Decimal("12.50")
    assert tarte.category is None  # "Tartes" is not a portal category: a warning, no error
    assert bakery.products.get(sku="WC-2").availability == "out_of_stock"
    assert any("Tartes" in warning for warning in plan.rows[0].warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_every_encoding_a_spreadsheet_saves_in(bakery, categories, encoding):
    plan = plan_for(bakery, OURS, encoding)

    assert plan.rows[1].availability == "out_of_stock"  # "épuisé" was read right
    assert plan.rows[0].name == "Baguette tradition"


def test_commas_as_separator(bakery, categories):
    text = 'name,price,sku\nBaguette,"1,30",B1\nPain,2.10,P1\n'

    plan = plan_for(bakery, text)

    assert [row.price for row in plan.rows] == [Decimal("1.30"), Decimal("2.10")]


def test_importing_twice_updates_instead_of_duplicating(bakery, categories):
    importing.apply(plan_for(bakery, OURS))
    changed = OURS.replace("1,30", "1,40")

    plan = plan_for(bakery, changed)
    created, updated = importing.apply(plan)

    assert (created, updated) == (0, 1)  # the croissant did not change
    assert bakery.products.count() == 2
    assert bakery.products.get(sku="BAG-1").price == Decimal("1.40")
    # The same file once more changes nothing, and writes nothing.
    assert importing.apply(plan_for(bakery, changed)) == (0, 0)


def test_an_import_that_puts_a_product_back_in_stock_dates_its_return(bakery):
    importing.apply(plan_for(bakery, "name;price;sku;stock\nBaguette;1,30;BAG-1;épuisé\n"))
    assert bakery.products.get().restocked_at is None

    importing.apply(plan_for(bakery, "name;price;sku;stock\nBaguette;1,30;BAG-1;en stock\n"))

    assert bakery.products.get().restocked_at is not None


def test_without_a_reference_a_product_is_found_by_its_name(bakery):
    existing = builders.product(bakery, "Pain de seigle", price=Decimal("3.00"))

    plan = plan_for(bakery, "nom;prix\npain de seigle;3,20\n")
    importing.apply(plan)

    existing.refresh_from_db()
    assert existing.price == Decimal("3.20")
    assert bakery.products.count() == 1


def test_another_shops_product_of_the_same_reference_is_left_alone(bakery, flower_shop):
    theirs = builders.product(flower_shop, "Bouquet", sku="BAG-1", price=Decimal("25"))

    importing.apply(plan_for(bakery, "name;price;sku\nBaguette;1,30;BAG-1\n"))

    theirs.refresh_from_db()
    assert (theirs.name, theirs.price) == ("Bouquet", Decimal("25.00"))
    assert bakery.products.get(sku="BAG-1").name == "Baguette"


@pytest.mark.parametrize(
    "line,error",
    [
        (";1,30;X1", "The name is missing."),
        ("Baguette;;X1", "The price is missing."),
        ("Baguette;douze;X1", "is not a price"),
        ("Baguette;-3;X1", "The price cannot be negative."),
        ("Baguette;1,305;X1", "is not a price in euros and cents"),
        ("Baguette;NaN;X1", "is not a price"),
        ("Baguette;1e400;X1", "is not a price"),
        (f"{'B' * 121};1;X1", "longer than 120 characters"),
        ("Baguette;1;" + "X" * 65, "longer than 64 characters"),
    ],
)
def test_a_bad_row_is_named_with_its_line_and_nothing_is_imported(bakery, line, error):
    plan = plan_for(bakery, f"name;price;sku\nPain;2,00;P1\n{line}\n")

    assert not plan.is_valid
    [wrong] = plan.errors
    assert wrong.line == 3
    assert any(error in message for message in wrong.errors)
    with pytest.raises(ValueError):
        importing.apply(plan)
    assert not Product.objects.exists()


def test_an_unknown_availability_is_an_error(bakery):
    plan = plan_for(bakery, "name;price;availability\nPain;2;bientôt\n")

    assert "is not an availability" in plan.errors[0].errors[0]


def test_the_same_reference_twice_in_a_file_is_an_error(bakery):
    plan = plan_for(bakery, "name;price;sku\nPain;2;P1\nBrioche;3;P1\n")

    assert plan.errors[0].errors == ["The reference P1 is also on line 2."]


def test_cells_that_look_like_formulas_are_stored_as_text(bakery):
    importing.apply(plan_for(bakery, 'name;price;description\n=HYPERLINK("x");2;@SUM(A1)\n'))

    product = bakery.products.get()
    assert product.name == '=HYPERLINK("x")'
    assert product.short_description == "@SUM(A1)"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "no product"),
        (b"name;price\n", "no product"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text (CSV) file"),
        (b"colour;size\nred;L\n", "columns of this file are not recognised"),
    ],
)
def test_a_file_that_is_not_a_product_list_is_refused_as_a_whole(bakery, data, message):
    with pytest.raises(importing.UnreadableFile, match=re.escape(message)):
        importing.parse(bakery, data)


def test_a_file_over_the_size_limit_is_refused(settings, bakery):
    settings.PORTAL_IMPORT_MAX_BYTES = 1024

    with pytest.raises(importing.UnreadableFile, match="too large"):
        importing.parse(bakery, b"name;price\n" + b"Pain;1\n" * 200)


def test_a_file_over_the_line_limit_is_refused_without_reading_the_rest(settings, bakery):
    settings.PORTAL_IMPORT_MAX_ROWS = 3
    lines = "".join(f"Pain {n};1\n" for n in range(1, 5))
    # A line the CSV reader cannot read, after the limit: reading stops before it.
    unreadable = 'Pain;"' + "x" * 200_000 + '"\n'

    with pytest.raises(importing.UnreadableFile) as refused:
        importing.parse(bakery, f"name;price\n{lines}{unreadable}".encode())

    assert str(refused.value) == (
        "This file has more than 3 product lines (at least 4): import at most 3 at a time, "
        "in several files. Nothing was imported."
    )
    # Exactly the limit is fine, blank lines between products not counted.
    assert len(importing.parse(bakery, b"name;price\nA;1\n\nB;2\n;\nC;3\n\n").rows) == 3


def test_imported_products_are_found_by_the_public_search(
    client, bakery, django_capture_on_commit_callbacks
):
    plan = plan_for(bakery, "name;price\nFougasse aux olives;3,50\n")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        importing.apply(plan)

    # One index refresh for the whole import, after commit (the other callback forgets the
    # cached pages: home/page_cache.py).
    assert len([c for c in callbacks if c is not page_cache._bump]) == 1
    assert "Fougasse aux olives" in client.get("/search/?q=fougasse").content.decode()


def test_an_import_writes_in_bulk_not_a_save_per_row(bakery, django_assert_max_num_queries):
    rows = "".join(f"Pain n°{n};{n},50;P{n}\n" for n in range(300))
    plan = plan_for(bakery, "name;price;sku\n" + rows)

    with django_assert_max_num_queries(40):
        importing.apply(plan)

    assert bakery.products.count() == 300


# The admin page


def upload(client, text, name="produits.csv", **extra):
    return client.post(
        reverse("products_import"),
        {"file": SimpleUploadedFile(name, text.encode()), **extra},
    )


def test_the_baker_previews_then_confirms(client, baker, bakery, categories):
    admin_login(client, baker)

    preview = upload(client, OURS)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 products to create, 0 to update" in page
    assert not bakery.products.exists()  # nothing until confirmed

    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    done = client.post(reverse("products_import"), {"token": token})

    assert done.status_code == 302
    assert bakery.products.count() == 2
    # A second confirmation of the same token imports nothing more.
    client.post(reverse("products_import"), {"token": token})
    assert bakery.products.count() == 2


def test_a_file_with_errors_shows_each_line_and_offers_no_confirmation(client, baker, bakery):
    admin_login(client, baker)

    response = upload(client, "name;price\nPain;2\nBrioche;cinq\n")

    page = response.content.decode()
    assert "1 line has an error" in page
    assert "“cinq” is not a price." in page
    assert 'name="token"' not in page
    assert not bakery.products.exists()


def test_too_many_lines_is_said_next_to_the_file_field(client, baker, bakery, settings):
    settings.PORTAL_IMPORT_MAX_ROWS = 2
    admin_login(client, baker, language="fr")

    refused = upload(client, "name;price\nPain;2\nBrioche;5\nTarte;12\n")
    accepted = upload(client, "name;price\nPain;2\nBrioche;5\n")

    assert refused.status_code == 400
    assert refused.context["form"].errors["file"] == [
        "Ce fichier a plus de 2 lignes de produits (au moins 3) : importez-en au plus 2 à la "
        "fois, en plusieurs fichiers. Rien n’a été importé."
    ]
    assert 'name="token"' not in refused.content.decode()
    assert accepted.status_code == 200
    assert 'name="token"' in accepted.content.decode()
    assert not bakery.products.exists()


def test_a_forged_shop_on_the_import_is_ignored(client, baker, bakery, flower_shop):
    admin_login(client, baker)

    page = upload(client, OURS, shop=flower_shop.pk).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    client.post(reverse("products_import"), {"token": token})

    assert not flower_shop.products.exists()
    assert bakery.products.count() == 2


def test_someone_elses_token_imports_nothing(client, baker, florist, bakery):
    admin_login(client, baker)
    token = re.search(r'name="token" value="([^"]+)"', upload(client, OURS).content.decode())[1]
    admin_login(client, florist)

    client.post(reverse("products_import"), {"token": token})

    assert not Product.objects.exists()


def test_the_city_editor_imports_for_a_chosen_shop(client, city_editor, bakery, flower_shop):
    admin_login(client, city_editor)

    page = upload(client, OURS, shop=flower_shop.pk).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    client.post(reverse("products_import"), {"token": token})

    assert flower_shop.products.count() == 2
    assert not bakery.products.exists()


def test_the_command_does_the_same_for_city_staff(tmp_path, bakery, categories):
    path = tmp_path / "produits.csv"
    path.write_text(OURS, encoding="cp1252")
    out = StringIO()

    call_command("import_products", "boulangerie-dupont", str(path), stdout=out)

    assert "2 created, 0 updated." in out.getvalue()
    assert bakery.products.count() == 2


def test_the_command_refuses_a_file_with_errors(tmp_path, bakery):
    path = tmp_path / "produits.csv"
    path.write_text("name;price\nPain;gratuit\n")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_products", str(bakery.pk), str(path), stderr=StringIO())
    assert not bakery.products.exists()


def test_the_product_listing_and_the_dashboard_lead_to_the_import(client, baker, bakery):
    admin_login(client, baker)

    for url in (reverse("wagtailsnippets_products_product:list"), reverse("wagtailadmin_home")):
        assert reverse("products_import") in client.get(url).content.decode()


def test_a_merchant_of_two_shops_imports_only_into_its_own(
    client, baker, bakery, flower_shop, django_user_model
):
    second = builders.shop("Pâtisserie Dupont")
    ShopMembership.objects.create(user=baker, shop=second)
    admin_login(client, baker)

    refused = upload(client, OURS, shop=flower_shop.pk)
    accepted = upload(client, OURS, shop=second.pk)

    assert refused.status_code == 400
    assert 'name="token"' in accepted.content.decode()


def test_a_file_of_names_and_prices_leaves_the_rest_of_a_product_alone(bakery, categories):
    kept = builders.product(
        bakery,
        "Brioche",
        sku="BRI-1",
        category=categories["Viennoiseries"],
        availability="limited",
        is_active=False,
        short_description="Au beurre",
    )

    importing.apply(plan_for(bakery, "name;price\nBrioche;5,20\n"))

    kept.refresh_from_db()
    assert kept.price == Decimal("5.20")
    assert (kept.sku, kept.category, kept.availability, kept.is_active) == (
        "BRI-1",
        categories["Viennoiseries"],
        "limited",
        False,
    )
    assert kept.short_description == "Au beurre"


def test_two_lines_cannot_update_the_same_product(bakery):
    builders.product(bakery, "Brioche", sku="BRI-1")

    plan = plan_for(bakery, "name;price;sku\nBrioche;5;BRI-1\nbrioche;6;\n")

    assert plan.errors[0].line == 3
    assert plan.errors[0].errors == ["Line 2 already updates this product."]


def test_a_column_named_twice_is_refused(bakery):
    with pytest.raises(importing.UnreadableFile, match="appears twice"):
        importing.parse(bakery, b"name;price;Name\nPain;1;Pain\n")


@pytest.mark.parametrize("quantity", ["--5", "\u00b2", "3.5", ""])
def test_an_odd_shopify_stock_cell_is_not_a_crash(bakery, quantity):
    text = f"Handle,Title,Variant Price,Variant Inventory Qty\npain,Pain,2.00,{quantity}\n"

    plan = plan_for(bakery, text)

    assert plan.is_valid
    assert plan.rows[0].availability == "in_stock"


def test_a_confirmation_sent_twice_at_once_imports_once(client, baker, bakery, categories):
    admin_login(client, baker)
    token = re.search(r'name="token" value="([^"]+)"', upload(client, OURS).content.decode())[1]
    # The other request of the double click got there first.
    cache.add(f"product-import:{token}", 1)

    client.post(reverse("products_import"), {"token": token})

    assert not bakery.products.exists()
