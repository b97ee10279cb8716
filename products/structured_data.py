"""What search engines and social networks read about a product: a schema.org Product with
its Offer, and a sharing card that shows the photo, the name and the price."""

from django.utils.translation import pgettext

from home.money import format_money
from home.structured_data import (
    SCHEMA_ORG,
    SocialMeta,
    plain_text,
    share_image,
    site_name,
)
from merchants.structured_data import seller

from .models import Availability

CURRENCY = "EUR"
SCHEMA_AVAILABILITY = {
    Availability.IN_STOCK: f"{SCHEMA_ORG}/InStock",
    Availability.LIMITED: f"{SCHEMA_ORG}/LimitedAvailability",
    # The CSV import reads "backorder" as "on order": the shop orders it in.
    Availability.ON_ORDER: f"{SCHEMA_ORG}/BackOrder",
    Availability.OUT_OF_STOCK: f"{SCHEMA_ORG}/OutOfStock",
}
# Facebook's product:availability values.
OG_AVAILABILITY = {
    Availability.IN_STOCK: "in stock",
    Availability.LIMITED: "in stock",
    Availability.ON_ORDER: "available for order",
    Availability.OUT_OF_STOCK: "out of stock",
}


def product_url(product, request):
    """The product's address, from its shop's (the page the product is shown under)."""
    shop = product.shop
    return shop.get_full_url(request) + shop.reverse_subpage(
        "product_detail", kwargs={"product_slug": product.slug}
    )


def price_text(product):
    """`2,50 € le kg`: the price as the page shows it."""
    starting = pgettext("price", "from") if product.from_price else ""
    return " ".join(filter(None, (starting, format_money(product.price), product.unit_label)))


def product_description(product):
    """The short description, else the description, else "name — price — shop"."""
    text = plain_text(product.short_description) or plain_text(product.description)
    return text or f"{product.name} — {price_text(product)} — {product.shop.title}"


def product_share_image(product, url):
    photo = product.main_image
    if photo is None:
        return None
    return share_image(photo.image, url, alt=photo.alt_text)


def product_social_meta(product, request, portal_settings):
    url = product_url(product, request)
    return SocialMeta(
        # The price in the title, because a shared link shows only the title and description.
        title=f"{product.name} – {price_text(product)}",
        description=product_description(product),
        url=url,
        site_name=site_name(portal_settings),
        type="product",
        image=product_share_image(product, url),
        extra=(
            ("product:price:amount", f"{product.price:.2f}"),
            ("product:price:currency", CURRENCY),
            ("product:availability", OG_AVAILABILITY[product.availability]),
        ),
    )


def product_schema(product, request):
    url = product_url(product, request)
    data = {
        "@context": SCHEMA_ORG,
        "@type": "Product",
        "name": product.name,
        "description": product_description(product),
        "url": url,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": f"{product.price:.2f}",
            "priceCurrency": CURRENCY,
            "availability": SCHEMA_AVAILABILITY[product.availability],
            "seller": seller(product.shop, request),
        },
    }
    image = product_share_image(product, url)
    if image is not None:
        data["image"] = image.url
    if product.sku:
        data["sku"] = product.sku
    if product.category is not None:
        data["category"] = product.category.name
    return data
