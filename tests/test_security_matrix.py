"""Every admin URL that takes an object × every persona × their own object and the other shop's.

Like Wagtail's own permission regression tests: each row is an admin URL name and how to
build its arguments from a shop's objects (its page, a product, an image, an order
request). A merchant reaching the other shop's object gets no page of it (404, 403, 405,
or Wagtail's redirect to the dashboard) and no response body — page, export or chooser —
carries a marker string of the other shop. The list of rows is checked against the
admin's URL patterns: an admin URL that takes an object and has no row, and no reason to
be left out, fails the test.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.log_actions import log
from wagtail.models import Page

from . import builders
from .builders import order_request

pytestmark = pytest.mark.django_db

MARKERS = {"bakery": "MARQUEUR-PAIN", "flower_shop": "MARQUEUR-FLEUR"}
LOGIN = reverse("wagtailadmin_login")
DASHBOARD = reverse("wagtailadmin_home")


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: object  # objects of one shop → URL kwargs
    query: str = ""
    own_status: int | None = None  # what the shop's own people get, when it is fixed
    # Why a merchant may get a 200 for the other shop's object (nothing of it is shown).
    answers_anyone: str = ""


PAGE_ID = lambda o: {"page_id": o.page.pk}  # noqa: E731
PRODUCT = lambda o: {"pk": o.product.pk}  # noqa: E731
IMAGE = lambda o: {"image_id": o.image.pk}  # noqa: E731
ORDER = lambda o: {"instance_pk": o.order.pk}  # noqa: E731
REVISION = lambda o: {"page_id": o.page.pk, "revision_id": o.page.latest_revision_id}  # noqa: E731

ROWS = [
    # Pages: the shop page itself
    Row("wagtailadmin_pages:edit", PAGE_ID, own_status=200),
    Row("wagtailadmin_pages:preview_on_edit", PAGE_ID),
    Row("wagtailadmin_pages:view_draft", PAGE_ID, own_status=200),
    Row("wagtailadmin_pages:usage", PAGE_ID),
    Row("wagtailadmin_pages:delete", PAGE_ID),
    Row("wagtailadmin_pages:unpublish", PAGE_ID),
    Row("wagtailadmin_pages:convert_alias", PAGE_ID),
    Row("wagtailadmin_pages:copy", PAGE_ID),
    Row("wagtailadmin_pages:set_privacy", PAGE_ID),
    Row("wagtailadmin_pages:lock", PAGE_ID),
    Row("wagtailadmin_pages:unlock", PAGE_ID),
    Row("wagtailadmin_pages:revisions_index", PAGE_ID, own_status=302),  # → history
    Row("wagtailadmin_pages:revisions_view", REVISION, own_status=200),
    Row("wagtailadmin_pages:revisions_revert", REVISION, own_status=200),
    Row("wagtailadmin_pages:revisions_unschedule", REVISION),
    Row(
        "wagtailadmin_pages:revisions_compare",
        lambda o: {"pk": o.page.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
        own_status=200,
    ),
    Row("wagtailadmin_pages:history", PAGE_ID, own_status=200),
    Row("wagtailadmin_pages:history_results", PAGE_ID, own_status=200),
    Row("wagtailadmin_pages:workflow_history", PAGE_ID),
    Row(
        "wagtailadmin_pages:workflow_history_detail",
        lambda o: {"page_id": o.page.pk, "workflow_state_id": 999999},
    ),
    Row(
        "wagtailadmin_pages:confirm_workflow_cancellation",
        PAGE_ID,
        answers_anyone="answers only whether a confirmation is needed (JSON), about no page",
    ),
    Row(
        "wagtailadmin_pages:workflow_action",
        lambda o: {"page_id": o.page.pk, "action_name": "approve", "task_state_id": 999999},
    ),
    Row(
        "wagtailadmin_pages:collect_workflow_action_data",
        lambda o: {"page_id": o.page.pk, "action_name": "approve", "task_state_id": 999999},
    ),
    Row("wagtailadmin_pages:workflow_preview", lambda o: {"page_id": o.page.pk, "task_id": 1}),
    Row("wagtailadmin_pages:move", lambda o: {"page_to_move_id": o.page.pk}),
    Row(
        "wagtailadmin_pages:move_confirm",
        lambda o: {"page_to_move_id": o.page.pk, "destination_id": o.page.get_parent().pk},
    ),
    Row("wagtailadmin_pages:set_page_position", lambda o: {"page_to_move_id": o.page.pk}),
    Row("wagtailadmin_pages:add_subpage", lambda o: {"parent_page_id": o.page.pk}),
    Row(
        "wagtailadmin_pages:add",
        lambda o: {
            "content_type_app_name": "home",
            "content_type_model_name": "standardpage",
            "parent_page_id": o.page.pk,
        },
    ),
    Row(
        "wagtailadmin_pages:preview_on_add",
        lambda o: {
            "content_type_app_name": "home",
            "content_type_model_name": "standardpage",
            "parent_page_id": o.page.pk,
        },
    ),
    Row("wagtailadmin_explore", lambda o: {"parent_page_id": o.page.pk}),
    Row("wagtailadmin_explore_results", lambda o: {"parent_page_id": o.page.pk}),
    Row(
        "wagtailadmin_choose_page_child",
        lambda o: {"parent_page_id": o.page.pk},
        answers_anyone="the page chooser browses the public tree, to link to any live page",
    ),
    Row("wagtailadmin_api:pages:detail", lambda o: {"pk": o.page.pk}),
    Row(
        "wagtailadmin_api:pages:action",
        lambda o: {"pk": o.page.pk, "action_name": "copy"},
    ),
    # Products
    Row("wagtailsnippets_products_product:edit", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:inspect", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:copy", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:delete", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:usage", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:history", PRODUCT, own_status=200),
    Row("wagtailsnippets_products_product:history_results", PRODUCT, own_status=200),
    Row("wagtailsnippetchoosers_products_product:chosen", PRODUCT, own_status=200),
    *[
        Row(
            "wagtail_bulk_action",
            lambda o, action=action: {
                "app_label": "products",
                "model_name": "product",
                "action": action,
            },
            query="id={product}",
            own_status=200,
        )
        for action in ("delete", "out_of_stock", "in_stock", "hide", "show")
    ],
    # The merchant's dashboard: quick actions
    Row("merchants_pause_requests", lambda o: {"shop_id": o.page.pk}, own_status=200),
    Row("merchants_resume_requests", lambda o: {"shop_id": o.page.pk}, own_status=405),
    Row("merchants_product_stock", PRODUCT, own_status=405),
    Row("merchants_product_price", PRODUCT, own_status=200),
    # The shop's window poster
    Row("merchants_shop_poster", lambda o: {"shop_id": o.page.pk}, own_status=200),
    # Images
    Row("wagtailimages:edit", IMAGE, own_status=200),
    Row("wagtailimages:delete", IMAGE, own_status=200),
    Row("wagtailimages:url_generator", IMAGE),
    Row("wagtailimages:url_generator_output", IMAGE),
    Row("wagtailimages:preview", lambda o: {"image_id": o.image.pk, "filter_spec": "original"}),
    Row("wagtailimages:image_usage", IMAGE, own_status=200),
    Row("wagtailimages:edit_multiple", IMAGE),
    Row("wagtailimages:delete_multiple", IMAGE),
    Row("wagtailimages_chooser:chosen", lambda o: {"pk": o.image.pk}, own_status=200),
    Row("wagtailimages_chooser:select_format", IMAGE, own_status=200),
    Row("wagtailadmin_api:images:detail", lambda o: {"pk": o.image.pk}),
    # Order requests (the answers are POST-only: a GET on one's own is 405)
    Row("orders_orderrequest_modeladmin_inspect", ORDER, own_status=200),
    *[
        Row(f"orders_orderrequest_modeladmin_{action}", ORDER, own_status=405)
        for action in (
            "accept",
            "ready",
            "out_for_delivery",
            "complete",
            "decline",
            "not_collected",
        )
    ],
]

# Admin URLs that take an object but are not about a shop's objects, and why.
LEFT_OUT = {
    "wagtailusers_users": "users: city only, merchants hold no user permission",
    "wagtailusers_groups": "groups: city only, merchants hold no group permission",
    "wagtailsites": "sites: city only",
    "wagtailsettings": "settings: city only",
    "wagtailadmin_workflows": "workflows and tasks: city only",
    "wagtailadmin_collections": "collections: city only",
    "wagtailredirects": "redirects: city only",
    "wagtailsearchpromotions": "promoted search results: city only",
    "wagtailforms": "form submissions: the town's forms, city only",
    "wagtaildocs": "documents: city only, no shop has documents",
    "wagtaildocs_chooser": "documents: city only, no shop has documents",
    "wagtailadmin_api:documents": "documents: city only, no shop has documents",
    "wagtailsnippets_products_productcategory": "product categories: shared, city only",
    "wagtailsnippetchoosers_products_productcategory": "product categories: shared and public",
    "wagtailsnippets_merchants_shopcategory": "shop categories: shared, city only",
    "wagtailsnippetchoosers_merchants_shopcategory": "shop categories: shared and public",
    "wagtailsnippets_merchants_neighbourhood": "neighbourhoods: shared, city only",
    "wagtailsnippetchoosers_merchants_neighbourhood": "neighbourhoods: shared and public",
    "wagtailsnippets_merchants_shopmembership": "shop members: city only",
    "wagtailsnippetchoosers_merchants_shopmembership": "shop members: city only",
    "wagtailadmin_pages:type_use": "a page type, not a page: lists only pages one may see",
    "wagtailadmin_pages:type_use_results": "a page type, not a page",
    "wagtailadmin_pages:choose_parent": "a page type, not a page",
    "wagtailadmin_editing_sessions": "the user's own editing session, by session id",
    "wagtailadmin_password_reset_confirm": "a password-reset token, not an object",
    "wagtailadmin_tag_model_autocomplete": "a tag model, not an object",
    "wagtailimages:create_multiple_from_uploaded_image": "an upload in progress: "
    "Wagtail reads it only for the user who uploaded it",
    "wagtailimages:delete_upload_multiple": "an upload in progress: "
    "Wagtail reads it only for the user who uploaded it",
    "notifications_resend": "the outbox: city only (notifications.change_notification)",
    "wagtailsnippets_merchants_merchantapplication": "shop applications: city only; "
    "tests/merchants/test_applications.py checks both merchants are refused",
    "wagtailsnippetchoosers_merchants_merchantapplication": "shop applications: city only",
    "merchants_application_approve": "shop applications: city only; "
    "tests/merchants/test_applications.py checks both merchants are refused",
    "merchants_application_decline": "shop applications: city only; "
    "tests/merchants/test_applications.py checks both merchants are refused",
}

# Listings, searches, choosers and exports: the other shop's marker must not show up.
LISTINGS = [
    ("wagtailadmin_home", ""),
    ("wagtailsnippets_products_product:list", ""),
    ("wagtailsnippets_products_product:list_results", "q=MARQUEUR"),
    ("wagtailsnippets_products_product:list", "export=csv"),
    ("wagtailsnippets_products_product:list", "export=xlsx"),
    ("wagtailsnippetchoosers_products_product:choose", ""),
    ("wagtailsnippetchoosers_products_product:choose_results", "q=MARQUEUR"),
    ("wagtailimages:index", ""),
    ("wagtailimages:index_results", "q=MARQUEUR"),
    ("wagtailimages_chooser:choose", ""),
    ("wagtailimages_chooser:choose_results", "q=MARQUEUR"),
    ("wagtailadmin_pages:search", "q=MARQUEUR"),
    ("wagtailadmin_choose_page", ""),
    ("wagtailadmin_api:pages:listing", "child_of=root"),
    ("wagtailadmin_api:images:listing", ""),
    ("orders_orderrequest_modeladmin_index", ""),
    ("orders_orderrequest_modeladmin_index", "q=MARQUEUR"),
    ("orders_orderrequest_modeladmin_index", "export=csv"),
    ("products_import", ""),
    ("wagtailadmin_pages:search_results", "q=MARQUEUR"),
    ("wagtailadmin_choose_page_search", "q=MARQUEUR"),
    ("wagtailadmin_reports:site_history", ""),
    ("wagtailadmin_reports:site_history_results", ""),
    ("wagtailadmin_reports:locked_pages", ""),
    ("wagtailadmin_reports:aging_pages", ""),
    ("wagtailadmin_reports:workflow", ""),
    ("wagtailadmin_reports:workflow_tasks", ""),
    ("wagtailadmin_reports:page_types_usage", ""),
]


def admin_url_names():
    """Every named admin URL pattern that takes an argument."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if route.startswith("admin/") and ("<" in route or "(?P" in route):
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, "", None))


def left_out(name):
    return any(name == prefix or name.startswith(f"{prefix}:") for prefix in LEFT_OUT)


def test_every_admin_url_that_takes_an_object_has_a_row_or_a_reason():
    covered = {row.name for row in ROWS}
    missing = sorted(
        name for name in admin_url_names() if name not in covered and not left_out(name)
    )

    assert missing == []
    # And no row names a URL that no longer exists.
    assert covered - admin_url_names() == set()


def shop_objects(shop, marker):
    shop.tagline = f"Le slogan {marker}"
    shop.save_revision().publish()
    image = builders.make_image(f"Photo {marker}")
    image.collection = shop.access.collection
    image.save()
    product = builders.product(shop, f"Produit {marker}")
    # Histories and reports list what was done to each object.
    for obj in (product, image, shop):
        log(instance=obj, action="wagtail.edit")
    return SimpleNamespace(
        page=Page.objects.get(pk=shop.pk),
        product=product,
        image=image,
        order=order_request(shop, f"Client {marker}"),
        marker=marker,
    )


@pytest.fixture
def shops(bakery, flower_shop, baker, florist):
    bakery.refresh_from_db()
    flower_shop.refresh_from_db()
    return {
        "bakery": shop_objects(bakery, MARKERS["bakery"]),
        "flower_shop": shop_objects(flower_shop, MARKERS["flower_shop"]),
    }


def url_for(row, objects):
    url = reverse(row.name, kwargs=row.kwargs(objects))
    query = row.query.format(product=objects.product.pk)
    return f"{url}?{query}" if query else url


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def refused(response):
    """No page of the object: not found, forbidden, not allowed, or Wagtail's redirect away."""
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and not response["Location"].startswith(LOGIN)


MERCHANTS = [("baker", "bakery", "flower_shop"), ("florist", "flower_shop", "bakery")]


def label(row):
    return row.name + (f"?{row.query}" if row.query else "")


@pytest.mark.parametrize("persona,own,other", MERCHANTS)
def test_a_merchant_reaches_its_own_objects_and_nothing_of_the_other_shop(
    request, client, shops, persona, own, other
):
    client.force_login(request.getfixturevalue(persona))
    wrong = []
    for row in ROWS:
        own_response = client.get(url_for(row, shops[own]))
        other_response = client.get(url_for(row, shops[other]))
        if own_response.status_code >= 500 or row.own_status not in (
            None,
            own_response.status_code,
        ):
            wrong.append(f"{label(row)}: own object answered {own_response.status_code}")
        if not row.answers_anyone and not refused(other_response):
            wrong.append(f"{label(row)}: other shop's object answered {other_response.status_code}")
        if shops[other].marker in body(other_response) + body(own_response):
            wrong.append(f"{label(row)}: the other shop's marker shows")

    assert wrong == []


def test_the_city_editor_reaches_every_shops_objects(client, city_editor, shops):
    client.force_login(city_editor)
    wrong = []
    for row in ROWS:
        for objects in shops.values():
            status = client.get(url_for(row, objects)).status_code
            if status >= 500 or row.own_status not in (None, status):
                wrong.append(f"{label(row)} ({objects.marker}): {status}")

    assert wrong == []


def test_a_visitor_is_sent_to_the_login_page(client, shops):
    wrong = []
    for row in ROWS:
        response = client.get(url_for(row, shops["bakery"]))
        to_login = response.status_code == 302 and response["Location"].startswith(LOGIN)
        if not (to_login or response.status_code in (401, 403)):
            wrong.append(f"{label(row)}: {response.status_code}")
        if MARKERS["bakery"] in body(response):
            wrong.append(f"{label(row)}: the marker shows")

    assert wrong == []


@pytest.mark.parametrize("persona,own,other", MERCHANTS)
def test_listings_searches_choosers_and_exports_show_only_the_merchants_own(
    request, client, shops, persona, own, other
):
    client.force_login(request.getfixturevalue(persona))
    wrong = []
    for name, query in LISTINGS:
        response = client.get(reverse(name) + (f"?{query}" if query else ""))
        if response.status_code != 200 and not refused(response):
            wrong.append(f"{name}?{query}: {response.status_code}")
        if shops[other].marker in body(response):
            wrong.append(f"{name}?{query}: the other shop's marker shows")

    assert wrong == []


@pytest.mark.parametrize(
    "name,query",
    [
        ("wagtailsnippets_products_product:list", "export=csv"),
        ("wagtailsnippets_products_product:list_results", "q=MARQUEUR"),
        ("wagtailsnippetchoosers_products_product:choose_results", "q=MARQUEUR"),
        ("wagtailimages:index_results", "q=MARQUEUR"),
        ("orders_orderrequest_modeladmin_index", "export=csv"),
    ],
)
def test_the_listings_do_show_the_merchants_own_objects(client, baker, shops, name, query):
    # So that the absence checked above is not that of an empty page.
    client.force_login(baker)

    response = client.get(f"{reverse(name)}?{query}")

    assert MARKERS["bakery"] in body(response)


@pytest.mark.parametrize("action", ["delete", "out_of_stock", "in_stock", "hide", "show"])
def test_a_bulk_action_posted_with_the_other_shops_product_changes_nothing(
    client, baker, shops, action
):
    theirs = shops["flower_shop"].product
    before = (theirs.availability, theirs.is_active, theirs.updated_at)
    client.force_login(baker)
    url = reverse("wagtail_bulk_action", args=["products", "product", action])

    response = client.post(f"{url}?id={theirs.pk}", {})

    assert refused(response)
    theirs.refresh_from_db()
    assert (theirs.availability, theirs.is_active, theirs.updated_at) == before


def test_select_all_in_a_bulk_action_means_all_of_the_merchants_own(client, baker, shops):
    client.force_login(baker)
    url = reverse("wagtail_bulk_action", args=["products", "product", "hide"])

    client.post(f"{url}?id=all", {})

    shops["bakery"].product.refresh_from_db()
    shops["flower_shop"].product.refresh_from_db()
    assert shops["bakery"].product.is_active is False
    assert shops["flower_shop"].product.is_active is True


def test_posting_an_edit_of_the_other_shops_product_changes_nothing(client, baker, shops):
    theirs = shops["flower_shop"].product
    client.force_login(baker)

    response = client.post(
        reverse("wagtailsnippets_products_product:edit", args=[theirs.pk]),
        {"name": "Volé", "price": "1.00", "availability": "in_stock"},
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Produit MARQUEUR-FLEUR"


def test_a_forged_shop_on_a_new_product_is_ignored(client, baker, shops, bakery, flower_shop):
    client.force_login(baker)

    response = client.post(
        reverse("wagtailsnippets_products_product:add"),
        {
            "shop": flower_shop.pk,
            "name": "Pain d'épeautre",
            "price": "4.20",
            "availability": "in_stock",
            "is_active": "on",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "8",
        },
    )

    assert response.status_code == 302, body(response)[-2000:]
    created = bakery.products.get(name="Pain d'épeautre")
    assert created.shop_id == bakery.pk
    assert not flower_shop.products.filter(name="Pain d'épeautre").exists()


def test_the_city_editor_still_reads_the_site_history(client, city_editor, shops):
    client.force_login(city_editor)

    page = body(client.get(reverse("wagtailadmin_reports:site_history")))

    assert MARKERS["bakery"] in page and MARKERS["flower_shop"] in page


def test_the_site_history_is_not_in_a_merchants_reports_menu(client, baker, shops):
    client.force_login(baker)

    page = body(client.get(DASHBOARD))

    assert reverse("wagtailadmin_reports:site_history") not in page


WAGTAIL_REPORTS = [
    "locked_pages",
    "workflow",
    "workflow_tasks",
    "site_history",
    "aging_pages",
    "page_types_usage",
]


@pytest.mark.parametrize("report", WAGTAIL_REPORTS)
@pytest.mark.parametrize("results", ["", "_results"])
def test_every_wagtail_report_is_the_citys(client, baker, city_editor, shops, report, results):
    url = reverse(f"wagtailadmin_reports:{report}{results}")
    client.force_login(baker)

    refused_to_the_baker = refused(client.get(url))
    client.force_login(city_editor)

    assert refused_to_the_baker
    assert client.get(url).status_code == 200


# The page chooser's answer once pages are chosen

CHOSEN_PAGES = reverse("wagtailadmin_choose_page_chosen_multiple")


@pytest.mark.parametrize("persona", ["city_editor", "baker"])
def test_choosing_the_root_is_not_found_rather_than_an_error(request, client, persona, bakery):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(CHOSEN_PAGES, {"id": Page.get_first_root_node().pk})

    assert response.status_code == 404


def test_a_merchant_cannot_choose_another_shops_draft(client, baker, bakery):
    draft = builders.shop("Fleurs MARQUEUR-FLEUR", publish=False)
    client.force_login(baker)

    alone = client.get(CHOSEN_PAGES, {"id": draft.pk})
    with_its_own = client.get(f"{CHOSEN_PAGES}?id={bakery.pk}&id={draft.pk}")

    assert alone.status_code == with_its_own.status_code == 404
    assert "MARQUEUR-FLEUR" not in body(alone) + body(with_its_own)


def test_a_merchant_chooses_its_own_draft_and_other_live_pages(client, baker, bakery, flower_shop):
    bakery.unpublish()
    client.force_login(baker)

    response = client.get(f"{CHOSEN_PAGES}?id={bakery.pk}&id={flower_shop.pk}")

    assert response.status_code == 200
    chosen = {page["id"] for page in response.json()["result"]}
    assert chosen == {bakery.pk, flower_shop.pk}


def test_the_page_chooser_does_not_list_another_shops_draft(client, baker, bakery):
    draft = builders.shop("Fleurs MARQUEUR-FLEUR", publish=False)
    client.force_login(baker)

    browsed = client.get(reverse("wagtailadmin_choose_page_child", args=[draft.get_parent().pk]))
    searched = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Fleurs"})

    assert browsed.status_code == searched.status_code == 200
    assert "MARQUEUR-FLEUR" not in body(browsed) + body(searched)
    assert "Boulangerie Dupont" in body(browsed)
