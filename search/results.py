"""The search itself: shops and products found for a query, their facets, and the help
given when nothing is found. Every function runs a fixed number of SQL queries whatever
the number of results."""

from collections import Counter, defaultdict
from html import unescape

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.html import strip_tags
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page

from home.pages import in_private_section
from home.search_text import fold
from merchants.models import MerchantPage
from products.models import Product

from .backend import ranked_pks, search_results
from .highlight import excerpt
from .spelling import vocabulary

SHOPS_PER_PAGE = 6
PRODUCTS_PER_PAGE = 20
PAGE_RESULTS = 5
SUGGESTIONS = 8
SUGGESTED_SHOPS = 3
PREFIX_LENGTH = 4  # "licornes" suggests what starts with "lico"


def search_queryset(queryset, query, relevance=True, autocomplete=False):
    """The objects of `queryset` matching `query`, as a plain queryset that can still be
    filtered, counted and paginated; `ranked()` puts the most relevant first (the queryset
    too when `relevance` and the backend cannot rank `query` by itself).

    The database backends answer with such a queryset (the index is matched in SQL);
    filtering after the search, instead of before, spares us declaring every filtered
    field to the index."""
    return search_results(queryset, query, relevance, autocomplete).get_queryset()


class Ranked:
    """Search results in the order of `pks`, read a page at a time from `queryset` (which
    says what a card needs): what a Paginator asks for, the count known without a query."""

    def __init__(self, queryset, pks):
        self.queryset, self.pks = queryset, pks

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        pks = self.pks[index]
        found = self.queryset.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]


def visible_shops(found):
    """The live shops outside private sections among `found`, checked on each of them (a
    list of every visible shop would lead the database to read all their products)."""
    return found.live().public()


def visible_products(found):
    """The active products of visible shops among `found`, checked on each of them."""
    private_shop = in_private_section(path="shop__path")
    return found.filter(is_active=True, shop__live=True).exclude(private_shop)


def card_queryset(model):
    """What a result's card shows, read for a page of results of `model`."""
    if model is Product:
        return Product.objects.for_search_cards()
    return model.objects.for_cards()


def ranked(found, query, autocomplete=False, cards=None):
    """`found` (search results for `query`, filtered, most relevant first) for a
    Paginator or a slice: ranked in one query, then the objects of a page read by their
    keys from `cards` (by default what the model's cards need)."""
    pks = ranked_pks(found, query, autocomplete)
    return Ranked(card_queryset(found.model) if cards is None else cards, pks)


class SiteSearch:
    def __init__(self, parsed, search_filter):
        self.parsed = parsed
        self.filter = search_filter

    def shops_found(self, relevance=True):
        query = self.parsed.search_query()
        return visible_shops(search_queryset(MerchantPage.objects.all(), query, relevance))

    def products_found(self, relevance=True):
        query = self.parsed.search_query()
        return visible_products(search_queryset(Product.objects.all(), query, relevance))

    def ranked(self, found):
        return ranked(found, self.parsed.search_query())

    def shop_page(self, number):
        shops = self.ranked(self.filter.shops(self.shops_found()))
        page = Paginator(shops, SHOPS_PER_PAGE).get_page(number)
        for shop in page.object_list:
            shop.matched = shop_match(shop, self.parsed)
        return page

    def product_page(self, number):
        order = self.filter.product_order
        products = self.filter.products(self.products_found(relevance=order is None))
        if order:
            products = products.order_by(*order).for_search_cards()
        else:
            products = self.ranked(products)
        page = Paginator(products, PRODUCTS_PER_PAGE).get_page(number)
        for product in page.object_list:
            product.matched = product_match(product, self.parsed)
        return page

    def facet_counts(self):
        """{facet: {id: number of results}}, each facet counted with every other filter
        applied but not its own, so that its numbers say where a click would lead.

        The results are read with their shop's neighbourhood and categories, grouped in the
        database: what is read grows with the shops that have a match, not with the town."""
        facets = self.filter.FACETS
        neighbourhood_of, categories_of = {}, defaultdict(set)
        matched_shops, matched_products = set(), {}

        def shop_of(shop_id, neighbourhood, category):
            neighbourhood_of[shop_id] = neighbourhood
            if category:
                categories_of[shop_id].add(category)

        if self.filter.shows_shops:
            matched = self.filter.shops(self.shops_found(relevance=False), skip=facets)
            for shop_id, neighbourhood, category in matched.order_by().values_list(
                "pk", "neighbourhood_id", "categories"
            ):
                shop_of(shop_id, neighbourhood, category)
                matched_shops.add(shop_id)
        if self.filter.shows_products:
            matched = self.filter.products(self.products_found(relevance=False), skip=facets)
            # One row per shop category: each holds the number of the shop's products in
            # the product category.
            rows = (
                matched.order_by()
                .values("shop_id", "shop__neighbourhood_id", "shop__categories", "category_id")
                .annotate(number=Count("pk"))
            )
            for row in rows:
                shop_of(row["shop_id"], row["shop__neighbourhood_id"], row["shop__categories"])
                matched_products[row["shop_id"], row["category_id"]] = row["number"]
        chosen = {name: getattr(self.filter.values.get(name), "pk", None) for name in facets}

        def shop_fits(shop_id, skip):
            in_category = chosen["category"] in (None, *categories_of[shop_id])
            in_neighbourhood = chosen["neighbourhood"] in (None, neighbourhood_of.get(shop_id))
            return (skip == "category" or in_category) and (
                skip == "neighbourhood" or in_neighbourhood
            )

        counts = {name: Counter() for name in facets}

        def add(shop_id, number, product_category=None):
            neighbourhood = neighbourhood_of.get(shop_id)
            fits_product_category = chosen["product_category"] in (None, product_category)
            if fits_product_category and shop_fits(shop_id, "category"):
                counts["category"].update(dict.fromkeys(categories_of[shop_id], number))
            if fits_product_category and neighbourhood and shop_fits(shop_id, "neighbourhood"):
                counts["neighbourhood"][neighbourhood] += number
            if product_category and shop_fits(shop_id, None):
                counts["product_category"][product_category] += number

        for shop_id in matched_shops:
            add(shop_id, 1)
        for (shop_id, product_category), number in matched_products.items():
            add(shop_id, number, product_category)
        return counts

    def content_pages(self):
        query = self.parsed.search_query()
        pages = search_queryset(Page.objects.live().not_type(MerchantPage), query)
        pages = pages.exclude(in_private_section())
        return ranked(pages, query, cards=Page.objects.all())[:PAGE_RESULTS]

    def nearest(self):
        """When every word together finds nothing: shops and products with any of the
        words, or, for a single word, whose names start like it."""
        if self.parsed.has_alternatives:
            any_word = SiteSearch(self.parsed.any_word(), self.filter)
            shops = any_word.ranked(any_word.shops_found())
            products = any_word.ranked(any_word.products_found())
        else:
            prefix = " ".join(word[:PREFIX_LENGTH] for word in self.parsed.all_words)
            if len(prefix) < PREFIX_LENGTH:
                return [], []
            shops = search_queryset(MerchantPage.objects.all(), prefix, autocomplete=True)
            products = search_queryset(Product.objects.all(), prefix, autocomplete=True)
            shops = ranked(visible_shops(shops), prefix, autocomplete=True)
            products = ranked(visible_products(products), prefix, autocomplete=True)
        return shops[:SUGGESTED_SHOPS], products[:SUGGESTIONS]


def correction(parsed):
    """The query with its mistyped words corrected, or None when there is nothing to fix."""
    words = parsed.words + [word for phrase in parsed.phrases for word in phrase]
    known = vocabulary()
    fixes = known.corrections(words)
    return parsed.corrected(fixes, known.display) if fixes else None


def promotions(parsed):
    """The city's promoted results for this query ("noël" also answers "noel")."""
    wanted = fold(parsed.text)
    public_pages = Page.objects.live().exclude(in_private_section())
    visible = Q(page__isnull=True) | Q(page__in=public_pages.values("pk"))
    chosen = (
        SearchPromotion.objects.filter(visible)
        .select_related("query", "page")
        .order_by("sort_order")
    )
    return [promotion for promotion in chosen if fold(promotion.query.query_string) == wanted]


def suggestions(text, request, limit=SUGGESTIONS):
    """Shops, then products, whose names start like `text`: the header box's list."""
    words = fold(text)
    if not words:
        return []
    term = " ".join(words)
    shops = search_queryset(MerchantPage.objects.all(), term, autocomplete=True)
    shops = ranked(visible_shops(shops), term, autocomplete=True)[:SUGGESTED_SHOPS]
    products = search_queryset(Product.objects.all(), term, autocomplete=True)
    products = ranked(visible_products(products), term, autocomplete=True)[: limit - len(shops)]
    return [
        {
            "kind": "shop",
            "label": shop.title,
            "detail": shop.neighbourhood.name if shop.neighbourhood else shop.town,
            "url": shop.get_url(request),
        }
        for shop in shops
    ] + [
        {
            "kind": "product",
            "label": product.name,
            "detail": product.shop.title,
            "price": str(product.price),
            "url": product.get_url(request),
        }
        for product in products
    ]


def shop_match(shop, parsed):
    description = shop._meta.get_field("description").get_searchable_content(shop.description)
    fields = [
        shop.tagline,
        " ".join(description),
        " ".join(category.name for category in shop.categories.all()),
        shop.neighbourhood.name if shop.neighbourhood else "",
        f"{shop.street_address}, {shop.town}",
    ]
    return first_match(fields, parsed)


def product_match(product, parsed):
    fields = [
        product.short_description,
        unescape(strip_tags(product.description)),
        product.category.name if product.category else "",
        product.shop.title,
        product.sku,
    ]
    return first_match(fields, parsed)


def first_match(texts, parsed):
    """The first text holding one of the query's words, cut around it and marked."""
    for text in texts:
        marked = excerpt(text, parsed)
        if marked:
            return marked
    return ""
