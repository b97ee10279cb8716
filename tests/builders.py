"""Builders for the objects tests need, with believable defaults that a test can override."""

import io
from datetime import time
from decimal import Decimal
from html.parser import HTMLParser
from itertools import count

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.users.models import UserProfile

from home.models import HomePage
from merchants.models import (
    Closure,
    MerchantIndexPage,
    MerchantPage,
    Neighbourhood,
    OpeningHours,
    ShopCategory,
)
from news.models import NewsItem
from orders.models import Checkout, OrderRequest, OrderRequestLine, Status, StatusChange
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


def news_item(shop_page, text="Arrivage de truffes samedi", **fields):
    return NewsItem.objects.create(shop=shop_page, text=text, **fields)


def page_by_type(model):
    return Page.objects.type(model).first().specific


TWO_LINES = (("Baguette tradition", "1.30", 2), ("Croissant", "1.20", 3))


def order_request(
    shop_page,
    name="Marie Dubois",
    *,
    lines=TWO_LINES,
    checkout=None,
    email="resident@example.org",
    status=Status.NEW,
    delivery_fee="0.00",
    **fields,
):
    """A request as the checkout stores it: lines at the prices of the day, totals, rate,
    and its first status change. `lines` are (name, unit price, quantity)."""
    if checkout is None:
        checkout = Checkout.objects.create(
            idempotency_key=f"test-checkout-{next(_numbers)}", email=email
        )
    defaults = {
        "fulfilment": "pickup",
        "phone": "0470 12 34 56",
        "commission_rate": Decimal("10.00"),
    }
    defaults.update(fields)
    request = OrderRequest.objects.create(
        checkout=checkout,
        shop=shop_page,
        name=name,
        email=email,
        status=status,
        items_total=sum((Decimal(price) * quantity for _n, price, quantity in lines), Decimal(0)),
        delivery_fee=Decimal(delivery_fee),
        **defaults,
    )
    for product_name, price, quantity in lines:
        OrderRequestLine.objects.create(
            request=request, product_name=product_name, unit_price=Decimal(price), quantity=quantity
        )
    StatusChange.objects.create(request=request, status=Status.NEW)
    return request


def admin_login(client, user, language="en"):
    """Log in to an admin in `language`: English, so that a test reads the source strings;
    the town's admin is French by default."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)


class FormFields(HTMLParser):
    """What a browser without JavaScript posts from the form `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(attrs["name"], []).append(attrs.get("value", default))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.setdefault(self.select, []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False
