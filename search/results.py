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

from home.search_text import fold
from merchants.models import MerchantPage
from products.models import Product

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
    filtered, counted and paginated (most relevant first when `relevance`).

    The database backends answer with such a queryset (the index is joined in SQL);
    filtering after the search, instead of before, spares us declaring every filtered
    field to the index."""
    if autocomplete:
        results = queryset.autocomplete(query, operator="and", order_by_relevance=relevance)
    else:
        results = queryset.search(query, order_by_relevance=relevance)
    return results.get_queryset()


class SiteSearch:
    def __init__(self, parsed, search_filter):
        self.parsed = parsed
        self.filter = search_filter
        self.visible_shops = MerchantPage.objects.live().public()

    def shops_found(self, relevance=True):
        found = search_queryset(MerchantPage.objects.all(), self.parsed.search_query(), relevance)
        return found.filter(pk__in=self.visible_shops.values("pk"))

    def products_found(self, relevance=True):
        found = search_queryset(Product.objects.all(), self.parsed.search_query(), relevance)
        return found.filter(is_active=True, shop__in=self.visible_shops.values("pk"))

    def shop_page(self, number):
        shops = self.filter.shops(self.shops_found()).for_cards()
        page = Paginator(shops, SHOPS_PER_PAGE).get_page(number)
        for shop in page.object_list:
            shop.matched = shop_match(shop, self.parsed)
        return page

    def product_page(self, number):
        order = self.filter.product_order
        products = self.filter.products(self.products_found(relevance=order is None))
        if order:
            products = products.order_by(*order)
        page = Paginator(products.for_cards(), PRODUCTS_PER_PAGE).get_page(number)
        for product in page.object_list:
            product.matched = product_match(product, self.parsed)
        return page

    def facet_counts(self):
        """{facet: {id: number of results}}, each facet counted with every other filter
        applied but not its own, so that its numbers say where a click would lead."""
        facets = self.filter.FACETS
        neighbourhood_of, categories_of = {}, defaultdict(set)
        for pk, neighbourhood, category in self.visible_shops.values_list(
            "pk", "neighbourhood_id", "categories"
        ):
            neighbourhood_of[pk] = neighbourhood
            if category:
                categories_of[pk].add(category)
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

        if self.filter.shows_shops:
            matched = self.filter.shops(self.shops_found(relevance=False), skip=facets)
            for shop_id in matched.order_by().values_list("pk", flat=True):
                add(shop_id, 1)
        if self.filter.shows_products:
            matched = self.filter.products(self.products_found(relevance=False), skip=facets)
            rows = matched.order_by().values("shop_id", "category_id").annotate(number=Count("pk"))
            for row in rows:
                add(row["shop_id"], row["number"], row["category_id"])
        return counts

    def content_pages(self):
        pages = Page.objects.live().public().not_type(MerchantPage)
        return list(pages.search(self.parsed.search_query())[:PAGE_RESULTS])

    def nearest(self):
        """When every word together finds nothing: shops and products with any of the
        words, or, for a single word, whose names start like it."""
        if self.parsed.has_alternatives:
            shops = SiteSearch(self.parsed.any_word(), self.filter).shops_found()
            products = SiteSearch(self.parsed.any_word(), self.filter).products_found()
        else:
            prefix = " ".join(word[:PREFIX_LENGTH] for word in self.parsed.all_words)
            if len(prefix) < PREFIX_LENGTH:
                return [], []
            shops = search_queryset(MerchantPage.objects.all(), prefix, autocomplete=True)
            products = search_queryset(Product.objects.all(), prefix, autocomplete=True)
            shops = shops.filter(pk__in=self.visible_shops.values("pk"))
            products = products.filter(is_active=True, shop__in=self.visible_shops.values("pk"))
        return (
            list(shops.for_cards()[:SUGGESTED_SHOPS]),
            list(products.for_cards()[:SUGGESTIONS]),
        )


def correction(parsed):
    """The query with its mistyped words corrected, or None when there is nothing to fix."""
    words = parsed.words + [word for phrase in parsed.phrases for word in phrase]
    known = vocabulary()
    fixes = known.corrections(words)
    return parsed.corrected(fixes, known.display) if fixes else None


def promotions(parsed):
    """The city's promoted results for this query ("noël" also answers "noel")."""
    wanted = fold(parsed.text)
    visible = Q(page__isnull=True) | Q(page__in=Page.objects.live().public().values("pk"))
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
    visible = MerchantPage.objects.live().public()
    shops = search_queryset(MerchantPage.objects.all(), term, autocomplete=True).filter(
        pk__in=visible.values("pk")
    )
    shops = list(shops.select_related("neighbourhood")[:SUGGESTED_SHOPS])
    products = search_queryset(Product.objects.all(), term, autocomplete=True).filter(
        is_active=True, shop__in=visible.values("pk")
    )
    products = list(products.select_related("shop")[: limit - len(shops)])
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
