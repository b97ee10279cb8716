"""The merchants app's models, one module per part: `from merchants.models import X` works
for each of them (and for the helpers other modules use)."""

from .access import ShopAccess, ShopMembership
from .applications import MerchantApplication
from .index import MerchantIndexPage
from .inlines import (
    Closure,
    ClosureDates,
    HoursAndClosures,
    OpeningHours,
    Place,
    ShopGalleryImage,
    Weekday,
    WeeklyHours,
)
from .querysets import MerchantPageManager, MerchantPageQuerySet
from .shops import (
    PRODUCTS_PER_PAGE,
    AwayPayment,
    MerchantPage,
    PageView,
    parse_postcodes,
    validate_postcodes,
    visible_products_by_shop,
)
from .taxonomy import Neighbourhood, ShopCategory, SlugNamedSnippet

__all__ = [
    "PRODUCTS_PER_PAGE",
    "AwayPayment",
    "Closure",
    "ClosureDates",
    "HoursAndClosures",
    "MerchantApplication",
    "MerchantIndexPage",
    "MerchantPage",
    "MerchantPageManager",
    "MerchantPageQuerySet",
    "Neighbourhood",
    "OpeningHours",
    "PageView",
    "Place",
    "ShopAccess",
    "ShopCategory",
    "ShopGalleryImage",
    "ShopMembership",
    "SlugNamedSnippet",
    "Weekday",
    "WeeklyHours",
    "parse_postcodes",
    "validate_postcodes",
    "visible_products_by_shop",
]
