"""Feeds read by machines: each parsed as its reader would (an XML parser, the csv module)."""

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from wagtail.models import PageViewRestriction

from .. import builders

G = "{http://base.google.com/ns/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"
PRICE = re.compile(r"^\d+\.\d{2} EUR$")


def rss_items(response):
    """[{attribute: [values]}] of each <item> of a Google feed, `g:` left out of the names."""
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = []
    for item in root.iter("item"):
        fields = {}
        for child in item:
            assert child.tag.startswith(G), child.tag
            fields.setdefault(child.tag.removeprefix(G), []).append(child.text)
        items.append(fields)
    return items


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def atom_entries(response):
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def canonical_link(client, url):
    """The <link rel="canonical"> of the page at `url`, as a browser reads it."""
    page = client.get(url).content.decode()
    return re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)


def private(shop_page):
    PageViewRestriction.objects.create(
        page=shop_page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return shop_page


@pytest.fixture
def photo(db):
    return builders.make_image("Vitrine", size=(900, 700))
