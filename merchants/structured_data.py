"""What search engines and social networks read about a shop: a schema.org LocalBusiness
(address, position, opening hours and closures) and its sharing card."""

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext

from home.structured_data import (
    SCHEMA_ORG,
    SocialMeta,
    canonical_url,
    plain_text,
    share_image,
    site_name,
    stream_text,
)

from .models import ShopGalleryImage

DEFAULT_SCHEMA_TYPE = "LocalBusiness"
# The closer schema.org type of a shop category, by slug (the slugs of the demo town's
# categories and their usual variants). A shop takes the type of its first mapped category.
SCHEMA_TYPES = {
    "animalerie": "PetStore",
    "bijouterie": "JewelryStore",
    "boucherie": "ButcherShop",
    "boucherie-charcuterie": "ButcherShop",
    "boulangerie": "Bakery",
    "boulangerie-patisserie": "Bakery",
    "cafe": "CafeOrCoffeeShop",
    "caviste": "LiquorStore",
    "chaussures": "ShoeStore",
    "coiffeur": "HairSalon",
    "epicerie": "GroceryStore",
    "epicerie-fine": "GroceryStore",
    "fleuriste": "Florist",
    "informatique": "ComputerStore",
    "jardinerie": "GardenStore",
    "jouets": "ToyStore",
    "librairie": "BookStore",
    "meubles": "FurnitureStore",
    "night-shop": "ConvenienceStore",
    "opticien": "Optician",
    "patisserie": "Bakery",
    "pharmacie": "Pharmacy",
    "pharmacie-parapharmacie": "Pharmacy",
    "primeur": "GroceryStore",
    "quincaillerie": "HardwareStore",
    "restaurant": "Restaurant",
    "sport": "SportingGoodsStore",
    "velo": "BikeStore",
    "vetements": "ClothingStore",
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def prefetch_details(shop, with_photos=False, renditions=True):
    """Read once what the structured data and the page's template both show (categories,
    hours, closures, photos): the template then reads the same rows instead of asking
    again. A preview keeps its unsaved rows (modelcluster serves those first). Without
    `renditions`, the caller reads the photos' with others (home.models.with_renditions)."""
    if shop.pk is None:  # the preview of a new shop: every row is in memory
        return
    lookups = ["categories", "opening_hours", "closures"]
    if with_photos:
        photos = ShopGalleryImage.objects.select_related("image")
        if renditions:
            photos = photos.prefetch_related("image__renditions")
        lookups.append(Prefetch("gallery_images", queryset=photos))
    prefetch_related_objects([shop], *lookups)


def schema_type(shop):
    for category in shop.categories.all():
        if category.slug in SCHEMA_TYPES:
            return SCHEMA_TYPES[category.slug]
    return DEFAULT_SCHEMA_TYPE


def shop_description(shop):
    """The editor's search description, or the tagline and the description's first words."""
    if shop.search_description:
        return shop.search_description
    text = plain_text(f"{shop.tagline} {stream_text(shop.description, length=400)}")
    if text:
        return text
    return gettext("%(shop)s, %(street)s, %(postcode)s %(town)s.") % {
        "shop": shop.title,
        "street": shop.street_address,
        "postcode": shop.postcode,
        "town": shop.town,
    }


def shop_share_image(shop, shop_url):
    """The first photo of the gallery, else the logo."""
    photo = shop.cover_image
    if photo is not None:
        return share_image(photo.image, shop_url, alt=photo.alt_text)
    return share_image(shop.logo, shop_url, alt=shop.title)


def shop_social_meta(shop, request, portal_settings):
    url = canonical_url(request, shop)
    return SocialMeta(
        title=shop.seo_title or shop.title,
        description=shop_description(shop),
        url=url,
        site_name=site_name(portal_settings),
        image=shop_share_image(shop, url),
    )


def business_id(shop_url):
    """The shop's node identifier, so that a product's seller and the shop page's
    LocalBusiness are read as one business."""
    return f"{shop_url}#business"


def seller(shop, request):
    """The shop as a product's seller. Plain LocalBusiness: its closer type would cost the
    product page a query for the shop's categories, and the @id points to the full entry."""
    url = shop.get_full_url(request)
    return {
        "@type": DEFAULT_SCHEMA_TYPE,
        "@id": business_id(url),
        "name": shop.title,
        "url": url,
    }


def opening_hours_specification(shop, today=None):
    """One specification per weekly opening range, then one per coming closure, written
    as schema.org writes a closed day: from 00:00 to 00:00 over the closure's dates."""
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"{SCHEMA_ORG}/{DAYS[row.weekday]}",
            "opens": f"{row.opens:%H:%M}",
            "closes": f"{row.closes:%H:%M}",
        }
        for row in shop.opening_hours.all()
    ]
    closures = [
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": closure.starts_on.isoformat(),
            "validThrough": closure.ends_on.isoformat(),
        }
        for closure in shop.upcoming_closures(today)
    ]
    return hours + closures


def local_business(shop, request, today=None):
    url = canonical_url(request, shop)  # also right in a preview, before any publication
    data = {
        "@context": SCHEMA_ORG,
        "@type": schema_type(shop),
        "@id": business_id(url),
        "name": shop.title,
        "description": shop_description(shop),
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.street_address,
            "postalCode": shop.postcode,
            "addressLocality": shop.town,
            "addressCountry": settings.PORTAL_COUNTRY_CODE,
        },
        "openingHoursSpecification": opening_hours_specification(shop, today),
    }
    if shop.phone:
        data["telephone"] = shop.phone
    if shop.public_email:
        data["email"] = shop.public_email
    if shop.latitude is not None and shop.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(shop.latitude),
            "longitude": float(shop.longitude),
        }
    image = shop_share_image(shop, url)
    if image is not None:
        data["image"] = image.url
    same_as = [link for link in (shop.website, shop.facebook_url, shop.instagram_url) if link]
    if same_as:
        data["sameAs"] = same_as
    return data
