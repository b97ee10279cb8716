"""The kinds of catalogue source, one module each, keyed as `SourceKind`'s values.

Each module has `first_url(source_url)`, the first page's address from what the merchant
typed, and `read(response)`, the `Page` of items an answer holds and the next page's
address; an answer that is not that kind of catalogue raises `NotACatalogue`.
"""

from . import csv_file, google_feed, shopify, woocommerce

FORMATS = {
    "shopify": shopify,
    "woocommerce": woocommerce,
    "google_feed": google_feed,
    "csv": csv_file,
}
