"""Wagtail admin views that would show a merchant other shops' objects, kept for the city.

Wagtail's reports filter by model permission, not by shop: in the site history a merchant,
who holds the product permissions, would read every shop's product changes, and the page
types report names the last edited page of each type (another shop's draft). Merchants
have each object's own history and their home page instead: every report is the city's.
The page chooser's "chosen" answer (the admin title and edit link of pages, by id) is held
to the pages the user may choose, as the chooser lists them; the snippet and workflow task
choosers, which Wagtail opens to anyone with admin access, to the holders of a permission
on their model. These paths are matched before Wagtail's own.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.admin.views.workflows import (
    TaskChooserCreateView,
    TaskChooserResultsView,
    TaskChooserView,
    task_chosen,
)
from wagtail.models import Page, Task
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser, snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.admin_forms import choosable_pages

from .ownership import can_manage, get_object_for_user, is_city_editor, scope_to_user


def city_only(view):
    @never_cache
    @require_admin_access
    def guarded(request, *args, **kwargs):
        if not is_city_editor(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded


def for_holders_of(model, view):
    """`view`, for the users holding a permission on `model` (its permission policy)."""

    @never_cache
    @require_admin_access
    def held(request, *args, **kwargs):
        policy = policy_registry.get_by_type(model)
        if not policy.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return held


class HeldSnippetChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet chooser lists, and answers for, any object of its model to anyone
    with admin access: here only to the holders of a permission on the model, as the
    snippet's other views."""

    def construct_view(self, view_class, **kwargs):
        return for_holders_of(self.model, super().construct_view(view_class, **kwargs))


class ShopOwnedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's own shops: for a model whose objects belong
    to a shop (products, catalogue sources). Every view, bulk action and chooser that asks
    it gets the one ownership rule's answer. City editors manage every object."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_manage(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and can_manage(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return scope_to_user(self.model.objects.all(), user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


class OwnObjectMixin:
    """A snippet view about one shop-owned object, taken through the ownership rule before
    Wagtail's own checks can say more: another shop's object is as missing as one that
    never was (404)."""

    def setup(self, request, *args, **kwargs):
        self.owned_object = get_object_for_user(
            self.model.objects.all(), request.user, pk=unquote(str(kwargs[self.pk_url_kwarg]))
        )
        super().setup(request, *args, **kwargs)


def owned(view_class):
    return type(view_class.__name__, (OwnObjectMixin, view_class), {})


class OwnChooseMixin:
    def get_object_list(self):
        return scope_to_user(self.model.objects.all(), self.request.user).select_related("shop")


class OwnChooseView(OwnChooseMixin, chooser.ChooseView):
    pass


class OwnChooseResultsView(OwnChooseMixin, chooser.ChooseResultsView):
    pass


class OwnChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        return scope_to_user(self.model.objects.all(), self.request.user).get(pk=pk)


class OwnChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return scope_to_user(self.model.objects.all(), self.request.user).filter(
            pk__in=[pk for pk in pks if pk.isdigit()]
        )


class OwnChooserViewSet(HeldSnippetChooserViewSet):
    """The chooser of a shop-owned snippet: lists, and answers for, the user's own only."""

    choose_view_class = OwnChooseView
    choose_results_view_class = OwnChooseResultsView
    chosen_view_class = OwnChosenView
    chosen_multiple_view_class = OwnChosenMultipleView


def owned_selection(action, queryset):
    """A bulk action's selected objects of `queryset` (the user's own), with those the user
    may not act on apart; another shop's are left out unnamed, and none at all is a 404."""
    ids = action.request.GET.getlist("id")
    if "all" not in ids:
        queryset = queryset.filter(pk__in=[pk for pk in ids if pk.isdigit()])
    objects = list(queryset)
    if not objects:
        raise Http404
    return (
        [obj for obj in objects if action.check_perm(obj)],
        {"items_with_no_access": [obj for obj in objects if not action.check_perm(obj)]},
    )


class OwnDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete, for a shop-owned snippet (its `models`): the user's own only."""

    @cached_property
    def _actionable_objects(self):
        own = scope_to_user(self.model.objects.all(), self.request.user)
        return owned_selection(self, own.select_related("shop"))


class PortalSnippetViewSet(SnippetViewSet):
    """Every snippet of the portal: its chooser is for the holders of its permissions."""

    chooser_viewset_class = HeldSnippetChooserViewSet


class ShopOwnedSnippetViewSet(PortalSnippetViewSet):
    """A snippet whose objects belong to a shop: its listing and chooser show the user's own,
    and every view that takes one takes it through the ownership rule. Register its model's
    ShopOwnedPermissionPolicy first, for its bulk actions and Wagtail's own checks, and an
    OwnDeleteBulkAction of it in place of Wagtail's bulk delete."""

    edit_view_class = owned(snippets.EditView)
    copy_view_class = owned(snippets.CopyView)
    delete_view_class = owned(snippets.DeleteView)
    usage_view_class = owned(snippets.UsageView)
    history_view_class = owned(snippets.HistoryView)
    inspect_view_class = owned(snippets.InspectView)
    chooser_viewset_class = OwnChooserViewSet

    def get_queryset(self, request):
        return scope_to_user(self.model.objects.all(), request.user).select_related("shop")


class ChosenPagesView(ChosenMultipleView):
    """Wagtail's answer once pages are chosen, for pages the user may choose only: any other
    id, the root's included (Wagtail asks for its parent and fails), is not found."""

    def get(self, request):
        ids = set(request.GET.getlist("id"))
        if not all(pk.isdigit() for pk in ids):
            raise Http404
        pages = list(choosable_pages(request.user, Page.objects.filter(pk__in=ids)).specific())
        if len(pages) != len(ids):
            raise Http404
        return self.render_chosen_response(
            [
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
                for page in pages
            ]
        )


# Wagtail's reports (wagtail/admin/urls/reports.py): each page and its results.
REPORTS = {
    "locked": LockedPagesView,
    "workflow": WorkflowView,
    "workflow_tasks": WorkflowTasksView,
    "site-history": LogEntriesView,
    "aging-pages": AgingPagesView,
    "page-types-usage": PageTypesUsageReportView,
}

urlpatterns = [
    path(f"admin/reports/{slug}/{suffix}", city_only(view.as_view(results_only=bool(suffix))))
    for slug, view in REPORTS.items()
    for suffix in ("", "results/")
] + [
    # Wagtail's task chooser lists and names any workflow task to anyone with admin access.
    path("admin/workflows/task_chooser/", for_holders_of(Task, TaskChooserView.as_view())),
    path(
        "admin/workflows/task_chooser/results/",
        for_holders_of(Task, TaskChooserResultsView.as_view()),
    ),
    path(
        "admin/workflows/task_chooser/create/",
        for_holders_of(Task, TaskChooserCreateView.as_view()),
    ),
    path("admin/workflows/task_chooser/<int:task_id>/", for_holders_of(Task, task_chosen)),
    path(
        "admin/choose-page/chosen-multiple/",
        never_cache(require_admin_access(ChosenPagesView.as_view())),
    ),
]
