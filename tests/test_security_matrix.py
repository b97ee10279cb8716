"""Every admin URL that takes an object × every persona × their own object and the other shop's.

Like Wagtail's own permission regression tests: each row is an admin URL name and how to
build its arguments from a shop's objects (its page, a product, an image, an order
request). A merchant reaching the other shop's object gets no page of it (404, 403, 405,
or Wagtail's redirect to the dashboard) and no response body — page, export or chooser —
carries a marker string of the other shop. A row of the city's (applications, members,
users, documents, settings…) is refused to both merchants, for their own shop's object
too, and shows nothing of the city's objects. The list of rows is checked against the
admin's URL patterns: an admin URL that takes an object and has no row, and no reason to
be left out, fails the test.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Page, Site, UploadedFile, Workflow

from catalogue.models import CatalogueSource, SourceCategory, SyncRun
from collection.models import CollectionPoint, GroupedPickup, Parcel, PointStaff
from courier.models import Courier, Stop
from merchants.models import MerchantApplication
from newsletter.models import Newsletter
from notifications.models import Notification
from orders.models import Checkout

from . import builders
from .builders import order_request

pytestmark = pytest.mark.django_db

MARKERS = {"bakery": "MARQUEUR-PAIN", "flower_shop": "MARQUEUR-FLEUR"}
CITY_MARKER = "MARQUEUR-VILLE"  # in the city's own objects
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
    # The city's: both merchants are refused, for their own shop's object too.
    city_only: bool = False


def rows(prefix, names, kwargs, **fields):
    return [Row(f"{prefix}:{name}", kwargs, **fields) for name in names]


def pk_of(attribute, key="pk"):
    return lambda o: {key: getattr(o, attribute).pk}


COURIER_STOP_URLS = ("courier_picked_up", "courier_stop_done", "courier_stop_failed")
SNIPPET_VIEWS = ("edit", "delete", "usage", "history", "history_results", "copy")
SHARED = "shared and public: each merchant picks its shop's and products' own"


PAGE_ID = lambda o: {"page_id": o.page.pk}  # noqa: E731
PRODUCT = lambda o: {"pk": o.product.pk}  # noqa: E731
IMAGE = lambda o: {"image_id": o.image.pk}  # noqa: E731
ORDER = lambda o: {"instance_pk": o.order.pk}  # noqa: E731
SOURCE = lambda o: {"pk": o.source.pk}  # noqa: E731
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
    Row("wagtailsnippets_products_product:detach", PRODUCT, own_status=405),
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
    # Catalogue sources: the snippet's views, its report and its POST-only actions
    *rows(
        "wagtailsnippets_catalogue_cataloguesource",
        ("edit", "delete", "usage", "history", "history_results", "report"),
        SOURCE,
        own_status=200,
    ),
    *rows("wagtailsnippets_catalogue_cataloguesource", ("sync", "adopt"), SOURCE, own_status=405),
    Row("wagtailsnippetchoosers_catalogue_cataloguesource:chosen", SOURCE, own_status=200),
    Row(
        "wagtail_bulk_action",
        lambda o: {"app_label": "catalogue", "model_name": "cataloguesource", "action": "delete"},
        query="id={source}",
        own_status=200,
    ),
    # Shop news: the snippet's views, its chooser and its bulk delete
    *rows("wagtailsnippets_news_newsitem", SNIPPET_VIEWS[:-1], pk_of("news"), own_status=200),
    Row("wagtailsnippetchoosers_news_newsitem:chosen", pk_of("news"), own_status=200),
    Row(
        "wagtail_bulk_action",
        lambda o: {"app_label": "news", "model_name": "newsitem", "action": "delete"},
        query="id={news}",
        own_status=200,
    ),
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
    # An upload in progress, by the shop's merchant: Wagtail reads it for that user only
    *rows(
        "wagtailimages",
        ("create_multiple_from_uploaded_image", "delete_upload_multiple"),
        pk_of("image_upload", "uploaded_file_id"),
    ),
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
            "at_point",
        )
    ],
    # The city's: shop applications, members, shared lists, people, documents, the site
    *rows(
        "wagtailsnippets_merchants_merchantapplication",
        (*SNIPPET_VIEWS, "inspect"),
        pk_of("application"),
        city_only=True,
    ),
    Row(
        "wagtailsnippetchoosers_merchants_merchantapplication:chosen",
        pk_of("application"),
        city_only=True,
    ),
    *[
        Row(f"merchants_application_{action}", pk_of("application"), city_only=True)
        for action in ("approve", "decline")
    ],
    *rows(
        "wagtailsnippets_merchants_shopmembership",
        SNIPPET_VIEWS,
        pk_of("membership"),
        city_only=True,
    ),
    Row(
        "wagtailsnippetchoosers_merchants_shopmembership:chosen",
        pk_of("membership"),
        city_only=True,
    ),
    *[
        row
        for model, attribute in (
            ("merchants_shopcategory", "shop_category"),
            ("merchants_neighbourhood", "neighbourhood"),
            ("products_productcategory", "product_category"),
        )
        for row in (
            *rows(f"wagtailsnippets_{model}", SNIPPET_VIEWS, pk_of(attribute), city_only=True),
            Row(
                f"wagtailsnippetchoosers_{model}:chosen",
                pk_of(attribute),
                own_status=200,
                answers_anyone=SHARED,
            ),
        )
    ],
    *rows("wagtailusers_users", (*SNIPPET_VIEWS[1:], "edit"), pk_of("merchant"), city_only=True),
    *rows("wagtailusers_groups", SNIPPET_VIEWS[:-1], pk_of("group"), city_only=True),
    *rows("wagtailsites", SNIPPET_VIEWS, pk_of("site"), city_only=True),
    *rows(
        "wagtailsettings",
        ("edit", "preview_on_edit"),
        lambda o: {"app_name": "home", "model_name": "portalsettings", "pk": o.site.pk},
        city_only=True,
    ),
    *rows(
        "wagtailadmin_workflows",
        ("enable", "disable", "edit", "usage", "usage_results"),
        pk_of("workflow"),
        city_only=True,
    ),
    Row(
        "wagtailadmin_workflows:remove",
        lambda o: {"page_pk": o.page.pk, "workflow_pk": o.workflow.pk},
        city_only=True,
    ),
    Row(
        "wagtailadmin_workflows:add_task",
        lambda o: {"app_label": "wagtailcore", "model_name": "groupapprovaltask"},
        city_only=True,
    ),
    *rows(
        "wagtailadmin_workflows",
        ("edit_task", "disable_task", "enable_task"),
        pk_of("task"),
        city_only=True,
    ),
    Row("wagtailadmin_workflows:task_chosen", pk_of("task", "task_id"), city_only=True),
    *rows("wagtailadmin_collections", ("edit", "delete"), pk_of("collection"), city_only=True),
    Row(
        "wagtailadmin_collections:set_privacy",
        pk_of("collection", "collection_id"),
        city_only=True,
    ),
    *rows("wagtailredirects", ("edit", "delete"), pk_of("redirect", "redirect_id"), city_only=True),
    *rows(
        "wagtailsearchpromotions",
        ("edit", "delete"),
        pk_of("search_query", "query_id"),
        city_only=True,
    ),
    *rows(
        "wagtailforms",
        ("list_submissions", "list_submissions_results", "delete_submissions"),
        PAGE_ID,
        city_only=True,
    ),
    *rows(
        "wagtaildocs",
        ("edit", "delete", "document_usage"),
        pk_of("document", "document_id"),
        city_only=True,
    ),
    *rows(
        "wagtaildocs",
        ("edit_multiple", "delete_multiple"),
        pk_of("document", "doc_id"),
        city_only=True,
    ),
    *rows(
        "wagtaildocs",
        ("create_multiple_from_uploaded_document", "delete_upload_multiple"),
        pk_of("document_upload", "uploaded_file_id"),
        city_only=True,
    ),
    Row("wagtaildocs_chooser:chosen", pk_of("document"), city_only=True),
    Row("wagtailadmin_api:documents:detail", pk_of("document"), city_only=True),
    Row("notifications_resend", pk_of("notification"), city_only=True),
    *rows(
        "wagtailsnippets_newsletter_newsletter",
        (*SNIPPET_VIEWS, "preview_on_edit"),
        pk_of("newsletter"),
        city_only=True,
    ),
    Row("wagtailsnippetchoosers_newsletter_newsletter:chosen", pk_of("newsletter"), city_only=True),
    Row("newsletter_sending", pk_of("newsletter"), city_only=True),
    *rows(
        "wagtailsnippets_collection_collectionpoint",
        SNIPPET_VIEWS,
        pk_of("collection_point"),
        city_only=True,
    ),
    Row(
        "wagtailsnippetchoosers_collection_collectionpoint:chosen",
        pk_of("collection_point"),
        city_only=True,
    ),
    *rows("wagtailsnippets_courier_courier", SNIPPET_VIEWS, pk_of("courier"), city_only=True),
    Row("wagtailsnippetchoosers_courier_courier:chosen", pk_of("courier"), city_only=True),
    # A courier's round: its members' and the city's (the courier test below).
    *[Row(name, pk_of("stop"), city_only=True) for name in COURIER_STOP_URLS],
    Row("courier_stop_move", lambda o: {"pk": o.stop.pk, "direction": "up"}, city_only=True),
    # A point's day list and its staff's answers (POST-only): the point's staff and the city's
    Row("collection_staff_day", pk_of("collection_point", "point_id"), city_only=True),
    Row("collection_staff_received", pk_of("parcel", "parcel_id"), own_status=405, city_only=True),
    *[
        Row(
            f"collection_staff_{name}", pk_of("pickup", "pickup_id"), own_status=405, city_only=True
        )
        for name in ("handed_over", "not_collected")
    ],
]
POINT_ROWS = [row for row in ROWS if row.name.startswith("collection_staff")]

# Admin URLs that take an argument that is not an object one could reach, and why.
LEFT_OUT = {
    "wagtailadmin_pages:type_use": "a page type, not a page: lists only pages one may see",
    "wagtailadmin_pages:type_use_results": "a page type, not a page",
    "wagtailadmin_pages:choose_parent": "a page type, not a page",
    "wagtailadmin_editing_sessions": "the user's own editing session, by session id",
    "wagtailadmin_password_reset_confirm": "a password-reset token, not an object",
    "wagtailadmin_tag_model_autocomplete": "a tag model, not an object",
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
    ("wagtailsnippets_catalogue_cataloguesource:list", ""),
    ("wagtailsnippets_catalogue_cataloguesource:list_results", "q=MARQUEUR"),
    ("wagtailsnippetchoosers_catalogue_cataloguesource:choose", ""),
    ("wagtailsnippetchoosers_catalogue_cataloguesource:choose_results", "q=MARQUEUR"),
    ("wagtailsnippetchoosers_catalogue_cataloguesource:chosen_multiple", "id={source}"),
    *[(f"wagtailsnippets_news_newsitem:{view}", "") for view in ("list", "list_results")],
    *[
        (f"wagtailsnippetchoosers_news_newsitem:{view}", query)
        for view, query in (
            ("choose", ""),
            ("choose_results", ""),
            ("chosen_multiple", "id={news}"),
        )
    ],
    ("wagtailimages:index", ""),
    ("wagtailimages:index_results", "q=MARQUEUR"),
    ("wagtailimages_chooser:choose", ""),
    ("wagtailimages_chooser:choose_results", "q=MARQUEUR"),
    ("wagtailadmin_pages:search", "q=MARQUEUR"),
    ("wagtailadmin_choose_page", ""),
    ("wagtailadmin_api:pages:listing", "child_of=root"),
    ("wagtailadmin_api:images:listing", ""),
    ("wagtailadmin_api:documents:listing", ""),
    ("wagtailadmin_api:documents:find", "id={document}"),
    ("wagtaildocs_chooser:choose", ""),
    ("wagtaildocs_chooser:choose_results", "q=MARQUEUR"),
    ("wagtailsnippetchoosers_merchants_shopcategory:choose", ""),
    ("wagtailsnippetchoosers_merchants_neighbourhood:choose", ""),
    ("wagtailsnippetchoosers_products_productcategory:choose", ""),
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


# The city's listings, choosers and exports: refused to merchants.
CITY_LISTINGS = [
    *[
        (f"wagtailsnippets_merchants_{model}:{view}", query)
        for model in ("merchantapplication", "shopmembership")
        for view, query in (("list", ""), ("list_results", ""), ("add", ""), ("list", "export=csv"))
    ],
    *[
        (f"wagtailsnippetchoosers_merchants_{model}:{view}", query)
        for model, attribute in (
            ("merchantapplication", "application"),
            ("shopmembership", "membership"),
        )
        for view, query in (
            ("choose", ""),
            ("choose_results", "q=MARQUEUR"),
            ("chosen_multiple", f"id={{{attribute}}}"),
            ("create", ""),
        )
    ],
    ("wagtaildocs:index", ""),
    ("wagtailadmin_workflows:task_chooser", ""),
    ("wagtailadmin_workflows:task_chooser_results", ""),
    ("wagtailadmin_workflows:task_chooser_create", ""),
    ("wagtailusers_users:index", ""),
    ("wagtailusers_groups:index", ""),
    ("wagtailsnippets_newsletter_newsletter:list", ""),
    ("wagtailsnippets_newsletter_newsletter:add", ""),
    ("wagtailsnippets_newsletter_newsletter:preview_on_add", ""),
    ("wagtailsnippetchoosers_newsletter_newsletter:choose", ""),
    ("wagtailsnippets_collection_collectionpoint:list", ""),
    ("wagtailsnippets_collection_collectionpoint:add", ""),
    ("wagtailsnippetchoosers_collection_collectionpoint:choose", ""),
    ("wagtailsnippets_courier_courier:list", ""),
    ("wagtailsnippets_courier_courier:add", ""),
    ("wagtailsnippetchoosers_courier_courier:choose", ""),
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


def upload(user, model):
    return UploadedFile.objects.create(
        file=ContentFile(b"...", name="envoi.png"),
        for_content_type=ContentType.objects.get_for_model(model),
        uploaded_by_user=user,
    )


def city_objects():
    """The city's own objects, the same for both shops."""
    application = MerchantApplication.objects.create(
        shop_name=f"Fromagerie {CITY_MARKER}",
        contact_name="Jeanne Martin",
        email="jeanne@example.org",
        phone="0470 00 00 00",
        street_address="1 place du Marché",
        postcode="7000",
        town="Valbourg",
    )
    query = Query.get(f"fromage {CITY_MARKER}")
    SearchPromotion.objects.create(
        query=query, page=builders.home_page(), description=f"Promu {CITY_MARKER}"
    )
    return {
        "application": application,
        "shop_category": builders.category("Fromagerie", "🧀"),
        "neighbourhood": builders.neighbourhood("Gare"),
        "product_category": builders.product_category("Fromages"),
        "document": Document.objects.create(
            title=f"Règlement {CITY_MARKER}", file=ContentFile(b"...", name="reglement.txt")
        ),
        "site": Site.objects.get(is_default_site=True),
        "redirect": Redirect.objects.create(
            old_path="/ancien-marqueur-ville", redirect_link="https://example.org/"
        ),
        "search_query": query,
        "workflow": Workflow.objects.create(name=f"Flux {CITY_MARKER}"),
        "task": GroupApprovalTask.objects.create(name=f"Tâche {CITY_MARKER}"),
        "notification": Notification.objects.create(
            to="ville@example.org", template="orders/request_received_shop", language="fr"
        ),
        "newsletter": Newsletter.objects.create(
            subject=f"Lettre {CITY_MARKER}", body=[("text", f"<p>Texte {CITY_MARKER}</p>")]
        ),
        "collection_point": (
            point := CollectionPoint.objects.create(
                name=f"Accueil {CITY_MARKER}",
                street_address="1 place de l'Hôtel de Ville",
                postcode="7000",
                town="Valbourg",
                capacity_per_day=20,
            )
        ),
        "pickup": GroupedPickup.objects.create(
            checkout=Checkout.objects.create(idempotency_key="matrix", email="r@example.org"),
            point=point,
            day="2027-05-03",
        ),
        "courier": Courier.objects.create(
            name=f"Vélos {CITY_MARKER}", email="velos@example.org", fee=4, postcodes="7000"
        ),
    }


def shop_objects(shop, marker, merchant, city):
    shop.tagline = f"Le slogan {marker}"
    shop.save_revision().publish()
    image = builders.make_image(f"Photo {marker}")
    image.collection = shop.access.collection
    image.save()
    product = builders.product(shop, f"Produit {marker}")
    source = CatalogueSource.objects.create(
        shop=shop, kind="csv", name=f"Source {marker}", url="https://catalogue.example/c.csv"
    )
    SyncRun.objects.create(
        source=source,
        message=f"Run {marker}",
        problems=[
            {"where": f"ligne {marker}", "reason": "…"},
            {"where": "ligne 2", "reason": "…", "adopt": {"product": product.pk, "key": "k"}},
        ],
    )
    SourceCategory.objects.create(source=source, name=f"Catégorie {marker}")
    # Histories and reports list what was done to each object.
    for obj in (product, image, shop, source):
        log(instance=obj, action="wagtail.edit")
    return SimpleNamespace(
        page=Page.objects.get(pk=shop.pk),
        product=product,
        source=source,
        news=builders.news_item(shop, f"Nouvelle {marker}"),
        image=image,
        order=(order := order_request(shop, f"Client {marker}", fulfilment="collection")),
        parcel=Parcel.objects.create(pickup=city["pickup"], request=order),
        marker=marker,
        merchant=merchant,
        membership=shop.memberships.get(user=merchant),
        group=shop.access.group,
        collection=shop.access.collection,
        image_upload=upload(merchant, Image),
        document_upload=upload(merchant, Document),
        **courier_objects(shop, marker),
        **city,
    )


def courier_objects(shop, marker):
    """A courier of the shop's own, with a member and a stop out for delivery."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    courier = Courier.objects.create(
        name=f"Coursier {marker}", email="c@example.org", fee=4, postcodes="7000"
    )
    rider = get_user_model().objects.create_user(username=f"coursier-{shop.pk}", password="x")
    courier.members.add(rider)
    order = order_request(
        shop,
        f"Destinataire {marker}",
        fulfilment="courier",
        status="out_for_delivery",
        street_address=f"Rue {marker}",
        postcode="7000",
    )
    now = timezone.now()
    stop = Stop.objects.create(request=order, courier=courier, starts_at=now, ends_at=now)
    return {"rider": rider, "stop": stop}


@pytest.fixture
def shops(bakery, flower_shop, baker, florist):
    bakery.refresh_from_db()
    flower_shop.refresh_from_db()
    city = city_objects()
    return {
        "bakery": shop_objects(bakery, MARKERS["bakery"], baker, city),
        "flower_shop": shop_objects(flower_shop, MARKERS["flower_shop"], florist, city),
    }


def url_for(row, objects):
    return with_query(reverse(row.name, kwargs=row.kwargs(objects)), row.query, objects)


def with_query(url, query, objects):
    query = query.format(
        **{name: getattr(value, "pk", value) for name, value in vars(objects).items()}
    )
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
        if row.city_only:
            for whose, response in (("own", own_response), ("other shop's", other_response)):
                if not refused(response):
                    wrong.append(
                        f"{label(row)}: the city's, {whose} answered {response.status_code}"
                    )
        elif own_response.status_code >= 500 or row.own_status not in (
            None,
            own_response.status_code,
        ):
            wrong.append(f"{label(row)}: own object answered {own_response.status_code}")
        if not (row.answers_anyone or row.city_only) and not refused(other_response):
            wrong.append(f"{label(row)}: other shop's object answered {other_response.status_code}")
        shown = body(other_response) + body(own_response)
        if shops[other].marker in shown or (row.city_only and CITY_MARKER in shown):
            wrong.append(f"{label(row)}: the other shop's or the city's marker shows")

    assert wrong == [], "\n".join(wrong)


def test_the_city_editor_reaches_every_shops_objects(client, city_editor, shops):
    client.force_login(city_editor)
    wrong = []
    for row in ROWS:
        for objects in shops.values():
            status = client.get(url_for(row, objects)).status_code
            if status >= 500 or row.own_status not in (None, status):
                wrong.append(f"{label(row)} ({objects.marker}): {status}")

    assert wrong == [], "\n".join(wrong)


def test_a_visitor_is_sent_to_the_login_page(client, shops):
    wrong = []
    for row in ROWS:
        response = client.get(url_for(row, shops["bakery"]))
        to_login = response.status_code == 302 and response["Location"].startswith(LOGIN)
        if not (to_login or response.status_code in (401, 403)):
            wrong.append(f"{label(row)}: {response.status_code}")
        if MARKERS["bakery"] in body(response):
            wrong.append(f"{label(row)}: the marker shows")

    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("persona,own,other", MERCHANTS)
def test_listings_searches_choosers_and_exports_show_only_the_merchants_own(
    request, client, shops, persona, own, other
):
    client.force_login(request.getfixturevalue(persona))
    wrong = []
    for name, query in LISTINGS + CITY_LISTINGS:
        response = client.get(with_query(reverse(name), query, shops[own]))
        if response.status_code != 200 and not refused(response):
            wrong.append(f"{name}?{query}: {response.status_code}")
        if (name, query) in CITY_LISTINGS and not refused(response):
            wrong.append(f"{name}?{query}: the city's, answered {response.status_code}")
        if shops[other].marker in body(response) or CITY_MARKER in body(response):
            wrong.append(f"{name}?{query}: the other shop's or the city's marker shows")

    assert wrong == [], "\n".join(wrong)


def test_the_city_editor_reads_the_citys_listings(client, city_editor, shops):
    client.force_login(city_editor)
    wrong = []
    for name, query in CITY_LISTINGS:
        response = client.get(with_query(reverse(name), query, shops["bakery"]))
        # People, groups and workflows are the superusers' (a redirect to the dashboard).
        superusers = name.startswith(("wagtailusers", "wagtailadmin_workflows"))
        if response.status_code != (302 if superusers else 200):
            wrong.append(f"{name}?{query}: {response.status_code}")

    assert wrong == [], "\n".join(wrong)


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


# The admin API's documents, as its images: those the user may choose


def test_the_admin_api_lists_no_document_to_a_merchant(client, baker, city_editor, shops):
    document = shops["bakery"].document
    listing = reverse("wagtailadmin_api:documents:listing")
    client.force_login(baker)

    merchants = [client.get(listing), client.get(f"{listing}?search=Règlement")]
    detail = client.get(reverse("wagtailadmin_api:documents:detail", args=[document.pk]))
    client.force_login(city_editor)
    citys = client.get(listing)

    for response in merchants:
        assert response.json()["items"] == []
        assert document.file.url not in body(response)
    assert detail.status_code == 404
    assert [item["title"] for item in citys.json()["items"]] == [document.title]


def test_posts_to_the_other_shops_catalogue_source_change_nothing(client, baker, shops):
    theirs = shops["flower_shop"].source
    product = shops["flower_shop"].product
    mapping = theirs.category_mappings.get()
    category = shops["flower_shop"].product_category
    client.force_login(baker)
    posts = {
        "edit": {"kind": "shopify", "url": "https://vole.example", "interval_hours": "1"},
        "delete": {},
        "sync": {},
        "adopt": {"product": product.pk},
        "report": {
            "mapping-TOTAL_FORMS": "1",
            "mapping-INITIAL_FORMS": "1",
            "mapping-0-id": mapping.pk,
            "mapping-0-category": category.pk,
        },
    }

    for view, data in posts.items():
        url = reverse(f"wagtailsnippets_catalogue_cataloguesource:{view}", args=[theirs.pk])
        assert client.post(url, data).status_code == 404, view

    theirs.refresh_from_db()
    product.refresh_from_db()
    mapping.refresh_from_db()
    assert theirs.url == "https://catalogue.example/c.csv"
    assert not theirs.runs.filter(manual=True).exists()
    assert product.source_id is None
    assert mapping.category_id is None


COURIER_ROWS = [row for row in ROWS if row.name.startswith("courier_")]
POSTED = {"courier_picked_up", "courier_stop_done", "courier_stop_move"}


def test_a_courier_reaches_its_own_stops_and_nothing_of_another_courier(client, shops):
    own, other = shops["bakery"], shops["flower_shop"]
    client.force_login(own.rider)
    wrong = []
    for row in COURIER_ROWS:
        send = client.post if row.name in POSTED else client.get
        other_response = send(url_for(row, other))
        if other_response.status_code != 404 or other.marker in body(other_response):
            wrong.append(
                f"{label(row)}: other courier's stop answered {other_response.status_code}"
            )
        own_response = send(url_for(row, own))
        if own_response.status_code not in (200, 302):
            wrong.append(f"{label(row)}: own stop answered {own_response.status_code}")
    sheet = client.get(reverse("courier_round_sheet"), {"courier": other.stop.courier_id})
    if other.marker in body(sheet):
        wrong.append("the round sheet shows the other courier's stop")

    assert wrong == [], "\n".join(wrong)
    other.stop.refresh_from_db()
    assert other.stop.state == "planned"


def test_point_staff_reach_their_points_collections_and_nothing_of_another_point(
    client, shops, django_user_model
):
    objects = shops["bakery"]
    another = CollectionPoint.objects.create(
        name="Café du Centre",
        street_address="3 rue Haute",
        postcode="7000",
        town="Valbourg",
        capacity_per_day=5,
    )
    staff, stranger = (
        django_user_model.objects.create_user(username=name, password="secret")
        for name in ("accueil", "cafe")
    )
    PointStaff.objects.create(point=objects.collection_point, user=staff)
    PointStaff.objects.create(point=another, user=stranger)
    wrong = []
    for row in POINT_ROWS:
        url = url_for(row, objects)
        client.force_login(staff)
        if client.get(url).status_code != (row.own_status or 200):
            wrong.append(f"{label(row)}: the point's own staff are refused")
        client.force_login(stranger)
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code not in (404, 405) or objects.marker in body(response):
                wrong.append(f"{label(row)}: another point's staff got {response.status_code}")
        if row.own_status == 405 and client.post(url).status_code != 404:
            wrong.append(f"{label(row)}: another point's staff could post")

    assert wrong == [], "\n".join(wrong)
