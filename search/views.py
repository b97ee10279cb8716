from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from merchants.models import MerchantPage
from products.models import Product

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 20


def clean_query(raw):
    """Printable characters only (a NUL byte breaks full-text engines), of a sensible length."""
    printable = "".join(char if char.isprintable() else " " for char in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    context = {"search_query": query, "shops": [], "products": None, "pages": []}
    if query:
        shops = MerchantPage.objects.live().public().search(query)[:6]
        context["shops"] = list(
            MerchantPage.objects.filter(pk__in=[shop.pk for shop in shops]).for_cards()
        )
        # The search backend filters only on indexed fields: pass the live shops as ids.
        live_shop_ids = list(MerchantPage.objects.live().public().values_list("pk", flat=True))
        products = Product.objects.filter(is_active=True, shop__in=live_shop_ids).search(query)
        paginator = Paginator(products, RESULTS_PER_PAGE)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page = paginator.page(1)
        ids = [product.pk for product in page.object_list]
        by_id = {p.pk: p for p in Product.objects.filter(pk__in=ids).for_cards()}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
        context["products"] = page
        context["pages"] = list(
            Page.objects.live().public().not_type(MerchantPage).search(query)[:5]
        )
    context["page_title"] = _("Search")
    return TemplateResponse(request, "search/search.html", context)
