"""A shop's catalogue sources in the admin: each merchant lists, adds, edits, deletes and
runs its own shops' sources only; the city's editors see every shop's.

Every view that takes a source goes through the one ownership rule (another shop's source
answers 404 like a missing one), the listing, the chooser and the bulk delete through the
source permission policy (merchants.admin_guards.ShopOwnedPermissionPolicy). A source's
report shows its last runs and the latest run's problems, and from there the merchant
synchronises now, confirms the adoption of products it typed by hand and maps the
source's categories to the portal's.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tasks import TaskResultStatus
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets

from merchants.admin_guards import OwnDeleteBulkAction, ShopOwnedSnippetViewSet, owned
from merchants.forms import OwnShopForm
from merchants.ownership import get_object_for_user

from .admin_urls import REPORT, URLS
from .models import CatalogueSource, RunStatus, SourceCategory, SyncRun
from .tasks import sync_source

RUNS_SHOWN = 10


def source_for(request, pk, action):
    """The source `pk` if the user may `action` it: another shop's is not found (404)."""
    source = get_object_for_user(
        CatalogueSource.objects.select_related("shop"), request.user, pk=unquote(str(pk))
    )
    policy = policy_registry.get_by_type(CatalogueSource)
    if not policy.user_has_permission_for_instance(request.user, action, source):
        raise PermissionDenied
    return source


def adoption_candidates(source, run):
    """{product: key} for the latest run's adoption candidates still to confirm: products
    of the source's shop typed by hand (no source), each with the source's id for it."""
    keys = {}
    for problem in (run.problems if run else None) or []:
        adopt = problem.get("adopt") if isinstance(problem, dict) else None
        if isinstance(adopt, dict) and str(adopt.get("product", "")).isdigit():
            keys[int(adopt["product"])] = str(adopt.get("key", ""))
    products = source.shop.products.filter(pk__in=keys, source__isnull=True).order_by("name")
    return {product: keys[product.pk] for product in products if keys[product.pk]}


class MappingForm(forms.ModelForm):
    class Meta:
        model = SourceCategory
        fields = ["category"]


# Only the categories the source uses, which the sync records: none is added here.
MappingFormSet = forms.modelformset_factory(
    SourceCategory, form=MappingForm, extra=0, edit_only=True
)


class SourceReportView(WagtailAdminTemplateMixin, TemplateView):
    """What the source's runs did, what went wrong the last time, what to confirm and how
    its categories become the portal's."""

    template_name = "catalogue/admin/report.html"
    header_icon = "download"
    page_title = _("Synchronisation report")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.source = source_for(request, kwargs["pk"], "view")

    def get_page_subtitle(self):
        return str(self.source)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URLS}:list"), "label": CatalogueSource._meta.verbose_name_plural},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    @cached_property
    def header_buttons(self):
        if not self.can_change:
            return []
        url = reverse(f"{URLS}:edit", args=[quote(self.source.pk)])
        return [HeaderButton(_("Edit the source"), url=url, icon_name="edit")]

    @cached_property
    def can_change(self):
        policy = policy_registry.get_by_type(CatalogueSource)
        return policy.user_has_permission_for_instance(self.request.user, "change", self.source)

    def mapping_formset(self):
        return MappingFormSet(
            self.request.POST if self.request.method == "POST" else None,
            queryset=self.source.category_mappings.all(),
            prefix="mapping",
        )

    def get_context_data(self, **kwargs):
        runs = list(self.source.runs.all()[:RUNS_SHOWN])
        latest = runs[0] if runs else None
        problems = [
            p
            for p in (latest.problems if latest else [])
            if isinstance(p, dict) and "adopt" not in p
        ]
        return {
            **super().get_context_data(**kwargs),
            "source": self.source,
            "runs": runs,
            "latest": latest,
            "problems": problems,
            "candidates": adoption_candidates(self.source, latest).items(),
            "can_change": self.can_change,
            "mapping": kwargs.get("mapping") or self.mapping_formset(),
        }

    def post(self, request, *args, **kwargs):
        """The category mapping."""
        if not self.can_change:
            raise PermissionDenied
        mapping = self.mapping_formset()
        if not mapping.is_valid():
            return self.render_to_response(self.get_context_data(mapping=mapping), status=400)
        mapping.save()
        log(instance=self.source, action="wagtail.edit", user=request.user)
        messages.success(request, gettext("The category mapping is saved."))
        return redirect(REPORT, pk=quote(self.source.pk))


@require_POST
def sync_view(request, pk):
    """“Synchroniser maintenant”: the run goes to the worker (at once when the task backend
    runs tasks immediately); the message says how it went, or that it started."""
    source = source_for(request, pk, "change")
    result = sync_source.enqueue(source.pk, manual=True)
    if result.status == TaskResultStatus.SUCCESSFUL:
        say_how_it_went(request, SyncRun.objects.filter(pk=result.return_value).first())
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, gettext("The synchronisation failed; try again later."))
    else:
        messages.success(
            request,
            gettext("The synchronisation has started: this report shows it when it is done."),
        )
    return redirect(REPORT, pk=quote(source.pk))


def say_how_it_went(request, sync_run):
    if sync_run is None:  # another run of the source held it
        messages.warning(
            request,
            gettext("This source is being synchronised already: this report shows it when done."),
        )
    elif sync_run.status == RunStatus.SUCCESS:
        messages.success(
            request,
            gettext(
                "The synchronisation is finished: %(created)d created, %(updated)d updated, "
                "%(hidden)d hidden, %(unchanged)d unchanged, %(skipped)d skipped."
            )
            % {
                name: getattr(sync_run, name)
                for name in ("created", "updated", "hidden", "unchanged", "skipped")
            },
        )
    else:
        messages.error(
            request,
            gettext("The synchronisation stopped, nothing was changed: %(message)s")
            % {"message": sync_run.message or sync_run.get_status_display()},
        )


@require_POST
def adopt_view(request, pk):
    """“Confirmer”: a product the merchant typed by hand becomes the source's. Checked again
    here: one of the latest run's candidates, of the source's shop, still typed by hand."""
    source = source_for(request, pk, "change")
    candidates = adoption_candidates(source, source.runs.first())
    product_id = request.POST.get("product", "")
    found = [item for item in candidates if str(item.pk) == product_id]
    if not found:
        raise Http404
    product, key = found[0], candidates[found[0]]
    product.source, product.source_key, product.detached_from_source = source, key, False
    try:
        # The unique (source, id in the source) constraint decides, even against a sync
        # that creates the same item at this moment.
        with transaction.atomic():
            product.save(
                update_fields=["source", "source_key", "detached_from_source", "updated_at"]
            )
    except IntegrityError:
        messages.error(
            request, gettext("Another product already comes from this item of the source.")
        )
        return redirect(REPORT, pk=quote(source.pk))
    log(instance=product, action="wagtail.edit", user=request.user)
    messages.success(
        request,
        gettext("%(name)s now comes from %(source)s.") % {"name": product.name, "source": source},
    )
    return redirect(REPORT, pk=quote(source.pk))


class SourceEditView(snippets.EditView):
    @cached_property
    def header_buttons(self):
        url = reverse(REPORT, args=[quote(self.object.pk)])
        return [
            *super().header_buttons,
            HeaderButton(_("Synchronisation report"), url=url, icon_name="list-ul"),
        ]


class SourceDeleteBulkAction(OwnDeleteBulkAction):
    models = [CatalogueSource]


class SourceForm(OwnShopForm):
    """A source stays with the shop it was added to: its products are that shop's, and a
    source moved elsewhere would leave them behind, managed by nobody."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "shop" in self.fields:
            self.fields["shop"].disabled = True
            self.fields["shop"].help_text = _(
                "A source stays with its shop: to feed another shop, add a source to it."
            )


source_edit_handler = ObjectList(
    [
        FieldPanel("shop"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("interval_hours"), FieldPanel("is_active")]),
    ],
    base_form_class=SourceForm,
)


class CatalogueSourceViewSet(ShopOwnedSnippetViewSet):
    model = CatalogueSource
    icon = "download"
    menu_label = _("Catalogue sources")
    add_to_admin_menu = True
    menu_order = 211
    copy_view_enabled = False  # two sources of one address would fight over its products
    list_display = [
        "__str__",
        "shop",
        "kind",
        Column("last_success_at", label=_("last successful run")),
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    edit_view_class = owned(SourceEditView)
    edit_handler = source_edit_handler

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("report/<str:pk>/", SourceReportView.as_view(), name="report"),
            path("sync/<str:pk>/", sync_view, name="sync"),
            path("adopt/<str:pk>/", adopt_view, name="adopt"),
        ]
