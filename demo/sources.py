"""Two demo shops whose catalogue comes from a source: an épicerie's Shopify-shaped shop
and a florist's till export (a Google product feed), served by demo/catalogue_server.py."""

from django.conf import settings

from catalogue import sync
from catalogue.models import CatalogueSource, SourceKind
from merchants.models import MerchantPage

SOURCES = (
    ("Saveurs d'ici", SourceKind.SHOPIFY, "/", "Boutique en ligne"),
    ("La Rose des Tanneurs", SourceKind.GOOGLE_FEED, "/fleuriste/feed.xml", "Caisse du magasin"),
)


def seed_sources(base_url=None):
    """Give the demo shops their source (once) and run the first sync of each new one.

    Returns the runs made; a shop the demo town does not have is left out."""
    base_url = (base_url or settings.PORTAL_DEMO_CATALOGUES_URL).rstrip("/")
    runs = []
    for title, kind, path, name in SOURCES:
        shop = MerchantPage.objects.filter(title=title).first()
        if shop is None or shop.catalogue_sources.exists():
            continue
        source = CatalogueSource.objects.create(
            shop=shop, kind=kind, url=base_url + path, name=name
        )
        runs.append(sync.run(source, manual=True))
    return runs
