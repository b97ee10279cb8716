"""The resident's side: follow (the form on shop, category, product and home pages),
confirm from the e-mail, and manage or stop from any e-mail's link.

None of these answers is kept in the page cache (home/page_cache.py caches Wagtail pages and
the search only); the forms of the cached pages take their CSRF token from visitor.js.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from home.forms import client_ip, rate_limited

from . import lifecycle
from .forms import FollowForm
from .links import manage_token, read_confirm_token, read_manage_token
from .models import Subscriber, Subscription

# Per client: forms sent (a typing mistake is sent again); per address: confirmation
# e-mails, so that nobody can flood a mailbox with them.
CLIENT_WINDOW = 3600
ADDRESS_WINDOW = 24 * 3600


def _limits():
    return (
        settings.PORTAL_FOLLOW_CLIENT_LIMIT,
        settings.PORTAL_FOLLOW_ADDRESS_LIMIT,
    )


@require_POST
def follow(request):
    """The answer is the same whether or not the address already follows this, or asked
    too often: nobody learns from it what an address follows."""
    form = FollowForm(request.POST)
    client_limit, address_limit = _limits()
    if form.is_valid():
        if form.is_bot():
            return redirect("subscriptions:asked")
        if rate_limited("follow-ip", client_ip(request), client_limit, CLIENT_WINDOW):
            form.add_error(None, _("Too many subscriptions from here: try again in an hour."))
        else:
            email = form.cleaned_data["email"]
            if not rate_limited("follow-email", email, address_limit, ADDRESS_WINDOW):
                lifecycle.ask(
                    email,
                    form.cleaned_data["kind"],
                    form.cleaned_data["target_object"],
                    form.consent_text(),
                )
            return redirect("subscriptions:asked")
    return TemplateResponse(
        request,
        "subscriptions/follow.html",
        {
            "form": form,
            "consent_text": form.consent_text() if "target_object" in form.cleaned_data else "",
            "back_url": _safe_back(request),
        },
        status=400,
    )


def _safe_back(request):
    """The page the form was on, when it is one of ours."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def asked(request):
    return TemplateResponse(request, "subscriptions/asked.html")


def _invalid(request):
    return TemplateResponse(request, "subscriptions/invalid_link.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation e-mail: a button to confirm (a mail scanner that opens
    every link must not subscribe anyone), then the subscription starts."""
    found = read_confirm_token(token)
    if found is None:
        return _invalid(request)
    pk, key = found
    subscription = (
        Subscription.objects.select_related("subscriber", "shop", "category", "product")
        .filter(pk=pk, subscriber__key=key)
        .first()
    )
    if subscription is None:
        return _invalid(request)
    if request.method == "POST":
        with transaction.atomic():
            lifecycle.confirm(subscription)
        messages.success(request, _("Subscription confirmed: %(what)s.") % {"what": subscription})
        return redirect("subscriptions:manage", token=manage_token(subscription.subscriber))
    return TemplateResponse(request, "subscriptions/confirm.html", {"subscription": subscription})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """See every subscription of the address; stop one, or all. Works without an account."""
    key = read_manage_token(token)
    subscriber = Subscriber.objects.filter(key=key).first() if key else None
    if subscriber is None:
        return _invalid(request)
    if request.method == "POST":
        chosen = subscriber.subscriptions.all()
        if "stop_all" not in request.POST:
            chosen = chosen.filter(pk=_int(request.POST.get("stop")))
        for stopped in chosen.select_related("shop", "category", "product"):
            messages.success(request, _("Stopped: %(what)s.") % {"what": stopped})
        lifecycle.end(chosen)
        if not Subscriber.objects.filter(pk=subscriber.pk).exists():
            return redirect("subscriptions:forgotten")
        return redirect("subscriptions:manage", token=token)
    subscriptions = subscriber.subscriptions.select_related(
        "shop", "category", "product__shop"
    ).order_by("kind", "asked_at", "pk")
    return TemplateResponse(
        request,
        "subscriptions/manage.html",
        {"subscriber": subscriber, "subscriptions": subscriptions},
    )


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def forgotten(request):
    return TemplateResponse(request, "subscriptions/forgotten.html")
