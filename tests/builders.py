"""Builders for the objects tests need, with believable defaults that a test can override."""

import io
from datetime import time
from decimal import Decimal
from itertools import count

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page

from home.models import HomePage
from merchants.models import (
    Closure,
    MerchantIndexPage,
    MerchantPage,
    Neighbourhood,
    OpeningHours,
    ShopCategory,
)
from products.models import Product, ProductCategory, ProductImage

_numbers = count(1)


def make_image(title="Photo", colour=(200, 120, 40), size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.png")
    )


def home_page():
    return HomePage.objects.get(depth=2)


def shop_index():
    index = MerchantIndexPage.objects.first()
    if index is None:
        index = MerchantIndexPage(title="Commerces", slug="commerces", intro="Tous les commerces.")
        home_page().add_child(instance=index)
    return index


def category(name="Boulangerie", icon="🥖"):
    return ShopCategory.objects.get_or_create(name=name, defaults={"icon": icon})[0]


def neighbourhood(name="Centre"):
    return Neighbourhood.objects.get_or_create(name=name)[0]


def product_category(name="Pains"):
    return ProductCategory.objects.get_or_create(name=name)[0]


def shop(title=None, *, categories=(), hours="week", publish=True, **fields):
    number = next(_numbers)
    title = title or f"Commerce {number}"
    defaults = {
        "slug": f"commerce-{number}",
        "tagline": "Un commerce du centre",
        "street_address": f"{number} rue des Tests",
        "postcode": "7000",
        "town": "Valbourg",
        "order_email": f"commandes{number}@example.org",
        "latitude": Decimal("50.454000"),
        "longitude": Decimal("3.952000"),
    }
    defaults.update(fields)
    page = MerchantPage(title=title, **defaults)
    if hours == "week":
        for weekday in range(6):
            page.opening_hours.add(
                OpeningHours(weekday=weekday, opens=time(9), closes=time(12, 30))
            )
            page.opening_hours.add(
                OpeningHours(weekday=weekday, opens=time(14), closes=time(18, 30))
            )
    shop_index().add_child(instance=page)
    if categories:
        page.categories.set(categories)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def closure(shop_page, starts_on, ends_on, reason=""):
    return Closure.objects.create(
        shop=shop_page, starts_on=starts_on, ends_on=ends_on, reason=reason
    )


def product(shop_page, name=None, *, image=None, **fields):
    number = next(_numbers)
    defaults = {"price": Decimal("3.50"), "short_description": "Fait maison."}
    defaults.update(fields)
    item = Product.objects.create(shop=shop_page, name=name or f"Produit {number}", **defaults)
    if image is not None:
        ProductImage.objects.create(product=item, image=image, alt_text=f"Photo de {item.name}")
    return item


def page_by_type(model):
    return Page.objects.type(model).first().specific
