from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from . import application_admin, dashboard, poster, sign_in
from .admin_api import ChoosableDocumentsAPIViewSet, ChoosableImagesAPIViewSet
from .admin_guards import choosable_pages
from .models import MerchantPage
from .ownership import can_manage, is_city_editor
from .viewsets import ShopsGroup

register_snippet(ShopsGroup)


# Holes Wagtail leaves open for a user who may edit some pages and images only


@hooks.register("before_move_page")
def refuse_moving_what_one_may_not_move(request, page, destination):
    # Wagtail's move confirmation page (a GET) asks nothing before showing both pages.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_admin_api", order=100)
def replace_the_images_and_documents_endpoints(router):
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)


# The merchant's home page


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return (
        dashboard.admin_urls()
        + application_admin.admin_urls()
        + poster.admin_urls()
        + sign_in.admin_urls()
    )


@hooks.register("register_page_header_buttons")
def poster_button(page, user, view_name, next_url=None):
    # In the "more" menu of the shop's edit view (and of its listing).
    if page.specific_class is MerchantPage and can_manage(user, page):
        yield Button(
            _("Print the window poster"), poster.poster_url(page), icon_name="doc-full", priority=75
        )


@hooks.register("insert_global_admin_css")
def dashboard_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_reports_menu")
def reports_for_the_city_only(request, menu_items):
    # Every Wagtail report is the city's (admin_guards.py); an empty menu is not shown.
    if not is_city_editor(request.user):
        menu_items[:] = []


@hooks.register("construct_page_chooser_queryset")
def choose_only_choosable_pages(pages, request):
    # As the "chosen" answer (admin_guards.py): another shop's draft is not listed.
    return choosable_pages(request.user, pages)


# Lock-outs after wrong passwords (sign_in.py): the city lifts them


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return sign_in.menu_item()
