import re
import secrets
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from home.forms import too_many_sent
from home.models import PortalSettings
from products.models import Product

from .checkout import AlreadyPlaced, NotPlaced, cancel, place
from .forms import AddToListForm, ChangeQuantityForm, CheckoutForm
from .models import Checkout
from .request_list import RequestList, checkout_modes, cost_of

# Keys and tokens are `secrets.token_urlsafe()`, references "ABCD-2345": anything else is
# refused before it reaches a query (PostgreSQL refuses a NUL byte in any text parameter).
KEY = re.compile(r"[-\w]{1,64}", re.ASCII)
REFERENCE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}")

DRAFT_KEY = "portal_checkout_draft"
PLACED_KEY = "portal_checkout_placed"
# The idempotency keys this session was given by the "check your request" page: a key is
# honoured only by the session it was issued to, so a key seen elsewhere (a shared
# computer's history, a proxy's log) leads nobody to someone else's request.
ISSUED_KEY = "portal_checkout_keys"
ISSUED_KEEP = 20  # the last pages opened, in as many tabs as anyone keeps open


def back_to(request, fallback):
    """The page the resident came from: a path on this site (anything else, even "0",
    would be read by `redirect()` as a view name or leave the site)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


@require_GET
@never_cache
def visitor(request):
    """What a page served from the cache leaves out, for this visitor (static/js/visitor.js):
    the request list's counter and a CSRF token for the page's forms. Writes nothing to the
    database: the session is only read, and the token lives in the csrftoken cookie."""
    count = RequestList(request.session).count
    label = ngettext("(%(counter)s item)", "(%(counter)s items)", count) % {"counter": count}
    return JsonResponse({"count": count, "label": label, "csrf_token": get_token(request)})


@require_GET
def request_list(request):
    basket = RequestList(request.session)
    groups, orphans = basket.groups()
    return TemplateResponse(
        request,
        "orders/request_list.html",
        {"groups": groups, "orphans": orphans, "can_send": any(g.lines for g in groups)},
    )


@require_POST
def add(request):
    form = AddToListForm(request.POST)
    fallback = reverse_list()
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("quantity", [_("Invalid request.")])))
        return redirect(back_to(request, fallback))
    product = (
        Product.objects.visible().select_related("shop").filter(pk=form.cleaned_data["product"])
    ).first()
    if product is None:
        raise Http404
    if not product.is_available:
        messages.error(request, _("%(name)s is out of stock.") % {"name": product.name})
        return redirect(back_to(request, fallback))
    if product.shop.requests_paused():
        messages.error(
            request,
            _("%(shop)s is not taking requests at the moment.") % {"shop": product.shop.title},
        )
        return redirect(back_to(request, fallback))
    quantity = RequestList(request.session).add(product, form.cleaned_data["quantity"])
    messages.success(
        request,
        _("%(name)s added to your request (%(quantity)s in all).")
        % {"name": product.name, "quantity": quantity},
    )
    return redirect(back_to(request, fallback))


@require_POST
def change(request):
    form = ChangeQuantityForm(request.POST)
    if form.is_valid():
        RequestList(request.session).set_quantity(
            form.cleaned_data["product"], form.cleaned_data["quantity"]
        )
        messages.success(request, _("Your request list is updated."))
    else:
        messages.error(request, " ".join(form.errors.get("quantity", [_("Invalid request.")])))
    return redirect(reverse_list())


def reverse_list():
    return reverse("orders:list")


def sendable_groups(basket):
    groups, _orphans = basket.groups()
    return [group for group in groups if any(not line.problem for line in group.lines)]


@require_http_methods(["GET", "POST"])
def checkout(request):
    basket = RequestList(request.session)
    groups = sendable_groups(basket)
    if not groups:
        messages.info(request, _("Your request list is empty."))
        return redirect(reverse_list())
    initial = request.session.get(DRAFT_KEY)
    if request.method == "POST":
        form = CheckoutForm(request.POST, groups=groups)
        if form.is_bot():
            return HttpResponseBadRequest()
        if form.is_valid():
            request.session[DRAFT_KEY] = form.to_session()
            return redirect("orders:review")
    else:
        # A draft sent back from the review (a window taken since) shows what went wrong.
        form = CheckoutForm(initial, groups=groups) if initial else CheckoutForm(groups=groups)
    return TemplateResponse(request, "orders/checkout.html", {"form": form, "groups": groups})


@require_http_methods(["GET", "POST"])
def review(request):
    """'Check your request': totals per shop and overall, then one button that sends."""
    basket = RequestList(request.session)
    groups = sendable_groups(basket)
    answers = request.session.get(DRAFT_KEY)
    if request.method == "POST":
        return send(request, groups, answers)
    if not groups or not answers:
        return redirect("orders:checkout")
    form = CheckoutForm(answers, groups=groups)
    if not form.is_valid():  # the list or a shop changed since the form was filled in
        return redirect("orders:checkout")
    key = issue_key(request.session)
    return TemplateResponse(
        request,
        "orders/review.html",
        review_context(request, groups, form, key),
    )


def issue_key(session):
    """A new idempotency key for the send button, remembered in this session.

    Kept in the session's data, not derived from its key: Django gives a session a new
    key when someone logs in (cycle_key), and the data moves with it."""
    key = secrets.token_urlsafe(24)
    session[ISSUED_KEY] = [*session.get(ISSUED_KEY, [])[1 - ISSUED_KEEP :], key]
    return key


def review_context(request, groups, form, key):
    portal = PortalSettings.for_request(request)
    sections = []
    for group in groups:
        field = CheckoutForm.shop_field(group.shop, "fulfilment")
        fulfilment = form.cleaned_data[field]
        cost = cost_of(group, fulfilment, portal, form.cleaned_data)
        sections.append(
            {
                "group": group,
                "fulfilment": fulfilment,
                "fulfilment_label": dict(form.fields[field].choices).get(fulfilment),
                "cost": cost,
                "notes": [
                    note
                    for mode in checkout_modes()
                    for note in mode.describe(group.shop, fulfilment, form.cleaned_data, cost)
                ],
                "preferred_date": form.cleaned_data[
                    CheckoutForm.shop_field(group.shop, "preferred_date")
                ],
                "message": form.cleaned_data[CheckoutForm.shop_field(group.shop, "message")],
            }
        )
    return {
        "sections": sections,
        "grand_total": sum((section["cost"].total for section in sections), Decimal("0")),
        "answers": form.cleaned_data,
        "extensions": form.extensions,
        "idempotency_key": key,
        "price_changed": any(line.price_changed for g in groups for line in g.lines),
    }


def send(request, groups, answers):
    key = request.POST.get("idempotency_key", "")
    if not KEY.fullmatch(key):
        return HttpResponseBadRequest()
    placed = request.session.get(PLACED_KEY, {})
    if key in placed:  # a reload or a double click: show what was sent
        return redirect("orders:confirmation", token=placed[key])
    if key not in request.session.get(ISSUED_KEY, []):
        # Not this session's key: whoever sent it, its request is not shown here.
        if Checkout.objects.filter(idempotency_key=key).exists():
            messages.info(
                request,
                _("This request was already sent: its confirmation was e-mailed to its sender."),
            )
            return redirect(reverse_list())
        return redirect("orders:review")  # a page from before: check it again
    if not groups or not answers:
        existing = Checkout.objects.filter(idempotency_key=key).first()
        if existing:
            return redirect("orders:confirmation", token=existing.status_token)
        return redirect("orders:checkout")
    form = CheckoutForm(answers, groups=groups)
    if not form.is_valid():
        return redirect("orders:checkout")
    if too_many_sent("checkout", request, form.cleaned_data["email"]):
        messages.error(
            request,
            _("Too many requests were sent from here in the last hour. Try again later."),
        )
        return redirect("orders:review")
    try:
        checkout = place(
            groups,
            form.cleaned_data,
            key=key,
            language=get_language(),
            site=Site.find_for_request(request),
        )
    except AlreadyPlaced as already:
        checkout = already.checkout
    except NotPlaced as refused:
        # Something changed while the resident read the check page (the point's day or the
        # courier's window filled up): the details page again, which binds the saved answers,
        # so the reason shows next to its field and what was typed is kept.
        messages.error(request, refused.message)
        return redirect("orders:checkout")
    else:
        RequestList(request.session).clear()
        request.session.pop(DRAFT_KEY, None)
    placed[key] = checkout.status_token
    request.session[PLACED_KEY] = placed
    return redirect("orders:confirmation", token=checkout.status_token)


@require_GET
def confirmation(request, token):
    checkout = get_object_or_404(Checkout, status_token=token)
    return TemplateResponse(
        request,
        "orders/confirmation.html",
        {
            "checkout": checkout,
            "orders": checkout.requests.select_related("shop").order_by("shop__title"),
        },
    )


@require_http_methods(["GET", "POST"])
def status(request, token):
    checkout = get_object_or_404(Checkout, status_token=token)
    orders = (
        checkout.requests.select_related("shop")
        .prefetch_related("lines", "history")
        .order_by("shop__title")
    )
    if request.method == "POST":
        reference = request.POST.get("cancel", "")
        target = REFERENCE.fullmatch(reference) and orders.filter(reference=reference).first()
        if not target:
            raise Http404
        if cancel(target):
            messages.success(
                request, _("Request %(reference)s is cancelled.") % {"reference": target.reference}
            )
        else:
            messages.error(
                request,
                _("Request %(reference)s can no longer be cancelled: call the shop.")
                % {"reference": target.reference},
            )
        return redirect("orders:status", token=token)
    return TemplateResponse(request, "orders/status.html", {"checkout": checkout, "orders": orders})
