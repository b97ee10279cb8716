"""What every source format gives the sync: one `Item` a product, whatever the source.

A format module (catalogue/formats/) turns a source's answers into items; the sync
(catalogue/sync.py) matches them to the shop's products and writes them through the
import's code path. An item that cannot become a product carries its reasons in `errors`:
the run skips it and reports where it was (`where`: "item 3", "line 4", "handle tarte").
"""

from dataclasses import dataclass, field
from decimal import Decimal


class NotACatalogue(ValueError):
    """The answer is not this kind of catalogue (an HTML page, a password page, an error
    page served with 200): the safety valve stops the run without writing. The message
    says why, for the merchant."""


@dataclass
class Item:
    source_key: str  # the source's own id for the product, kept on the product
    where: str  # how the run report names it: "produit 3", "ligne 4"
    name: str = ""
    description: str = ""  # plain text (HTML is stripped by the format)
    price: Decimal | None = None
    former_price: Decimal | None = None  # a compare-at or regular price above `price`
    from_price: bool = False  # "à partir de": the lowest of several variants' prices
    availability: str = "in_stock"  # one of products.models.Availability's values
    sku: str = ""
    images: list[str] = field(default_factory=list)  # absolute http(s) URLs, first is main
    categories: list[str] = field(default_factory=list)  # the source's names, as written
    brand: str = ""
    gtin: str = ""
    mpn: str = ""
    link: str = ""  # the product's page on the source, when it has one
    is_active: bool = True  # False for a draft or unpublished product of the source
    errors: list[str] = field(default_factory=list)


@dataclass
class Response:
    """An HTTP answer as catalogue.fetching gives it to a format: after redirects, whole."""

    url: str  # the address that answered (the last one after redirects)
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def content_type(self):
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Page:
    """What a format reads from one answer: its items, and the next page's address."""

    items: list[Item]
    next_url: str | None = None
