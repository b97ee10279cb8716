"""The opt-out link of every nudge: no log-in, a signed token names the shop and the kind.

GET only shows what the button will do: mail scanners open links before anyone reads
them. The POST records the opt-out and comes back here, where the page says it is done.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from merchants.models import MerchantPage

from .models import NudgeKind, NudgeOptOut
from .nudges import read_opt_out_token


@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    found = read_opt_out_token(token)
    if found is None:
        raise Http404
    shop_id, kind = found
    shop = get_object_or_404(MerchantPage, pk=shop_id)
    if request.method == "POST":
        NudgeOptOut.objects.get_or_create(shop=shop, kind=kind)
        return redirect("insights:opt_out", token=token)
    done = NudgeOptOut.objects.filter(shop=shop, kind=kind).exists()
    return TemplateResponse(
        request,
        "insights/opt_out_done.html" if done else "insights/opt_out.html",
        {"shop": shop, "kind": NudgeKind(kind), "token": token},
    )
