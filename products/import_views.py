"""The admin page where a merchant (or a city editor, for a chosen shop) imports products.

Upload, then a preview with each row's errors and what will be created or updated, then
one confirmation. Between the two steps the file waits in storage under a random name
kept in the user's session, so nobody else can confirm it; it is read again on
confirmation and applied all or nothing.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from merchants.models import MerchantPage
from merchants.ownership import managed_shop_ids, shops_for_user

from . import importing

SESSION_KEY = "portal_product_imports"
PREVIEW_ROWS = 200


class ImportForm(forms.Form):
    shop = forms.ModelChoiceField(
        label=_("Shop"), queryset=MerchantPage.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("File (CSV)"),
        help_text=_(
            "Our columns (name, price, description, category, availability, sku), or the "
            "product export of Shopify or WooCommerce. Separated by ; or , — any encoding."
        ),
        error_messages={"required": _("Choose the file to import.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops_for_user(user).order_by("title")
        own = managed_shop_ids(user)
        self.only_shop = None
        if own is not None and len(own) == 1:
            # A merchant of one shop is not asked; a posted shop is ignored.
            del self.fields["shop"]
            self.only_shop = shops_for_user(user).first()

    def chosen_shop(self):
        return self.only_shop or self.cleaned_data["shop"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            importing.check_size(upload.size)
        except importing.UnreadableFile as problem:
            raise forms.ValidationError(str(problem)) from None
        return upload


def import_view(request):
    if not request.user.has_perm("products.add_product"):
        raise PermissionDenied
    pending = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, pending)

    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    plan = None
    token = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        shop = form.chosen_shop()
        try:
            plan = importing.parse(shop, data)
        except importing.UnreadableFile as problem:
            form.add_error("file", str(problem))
        else:
            if plan.is_valid:
                token = secrets.token_urlsafe(24)
                path = default_storage.save(f"imports/{token}.csv", ContentFile(data))
                pending[token] = {"path": path, "shop": shop.pk}
                request.session[SESSION_KEY] = pending
    return TemplateResponse(
        request,
        "products/admin/import.html",
        {
            "form": form,
            "plan": plan,
            "rows": plan.rows[:PREVIEW_ROWS] if plan else [],
            "token": token,
            "format_name": importing.FORMAT_NAMES.get(plan.format) if plan else "",
        },
        status=400 if request.method == "POST" and (not form.is_valid() or plan is None) else 200,
    )


def _confirm(request, pending):
    token = request.POST["token"]
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    # A double click sends two confirmations at once: the shared cache lets one through.
    if entry is not None and not cache.add(f"product-import:{token}", 1, timeout=3600):
        entry = None
    if entry is None:
        messages.error(request, gettext("This import was already confirmed, or has expired."))
        return redirect("products_import")
    shop = shops_for_user(request.user).filter(pk=entry["shop"]).first()
    try:
        with default_storage.open(entry["path"], "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        shop = None
    finally:
        default_storage.delete(entry["path"])
    if shop is None:
        messages.error(request, gettext("This import was already confirmed, or has expired."))
        return redirect("products_import")
    plan = importing.parse(shop, data)
    if not plan.is_valid:
        messages.error(request, gettext("The shop's products changed meanwhile: check again."))
        return redirect("products_import")
    created, updated = importing.apply(plan)
    messages.success(
        request,
        gettext("%(created)s products created and %(updated)s updated in %(shop)s.")
        % {"created": created, "updated": updated, "shop": shop.title},
    )
    return redirect("wagtailsnippets_products_product:list")
