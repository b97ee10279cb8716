"""Signing in to the admin: lock-outs after wrong passwords, and limited account mails.

django-axes records each failed log-in (portal/settings/base.py says how many lock what,
and for how long). Here: the client's address as the rest of the portal reads it, the
count of failures with a limit for an account at an address and another for the address,
the lock-out page, the city's view of current lock-outs with a button to lift one, and the
password-reset form that sends at most a few mails per address and per client.
"""

import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import password_reset_enabled
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.forms import client_ip, rate_limited
from home.models import PortalSettings

from .admin_guards import city_only
from .ownership import is_city_editor

logger = logging.getLogger("portal.security")


def client_address(request):
    """The client's address for django-axes: the portal's own reading of it (behind
    PORTAL_TRUSTED_PROXIES proxies, the one the nearest trusted proxy saw), and REMOTE_ADDR
    when that is not an IP address (a proxy count set too high lets the client write it)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


# Counting failures --------------------------------------------------------------------------


def counted_failures(account_failures, address_failures):
    """Axes compares one number with AXES_FAILURE_LIMIT. An account at an address reaches it
    after that many failures; an address, whatever the accounts, after
    PORTAL_LOGIN_ADDRESS_FAILURE_LIMIT: its count is scaled to reach the same limit then."""
    limit = settings.AXES_FAILURE_LIMIT
    return max(
        account_failures, address_failures * limit // settings.PORTAL_LOGIN_ADDRESS_FAILURE_LIMIT
    )


class LoginFailures(AxesDatabaseHandler):
    """Axes' database handler, with a limit for each way of counting (AXES_LOCKOUT_PARAMETERS
    lists the account at an address first, then the address)."""

    def get_failures(self, request, credentials=None):
        account, address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return counted_failures(account, address)


def cool_off_minutes():
    return int(get_cool_off().total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a locked-out log-in gets, instead of axes' English text."""
    logger.warning("Log-in locked out for address %s.", request.axes_ip_address)
    contact = PortalSettings.for_request(request)
    response = render(
        request,
        "merchants/admin/locked_out.html",
        {
            "minutes": cool_off_minutes(),
            "contact_email": contact.contact_email,
            "contact_phone": contact.contact_phone,
            "show_password_reset": password_reset_enabled(),
        },
        status=429,
    )
    response["Retry-After"] = str(int(get_cool_off().total_seconds()))
    return response


# The city's view of lock-outs ---------------------------------------------------------------


def current_lockouts():
    """Addresses locked out now, in whole or for an account, newest failure first."""
    since = timezone.now() - get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    lockouts = {}
    for row in (
        recent.values("ip_address", "username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("ip_address", "username")
    ):
        lockout = lockouts.setdefault(
            row["ip_address"],
            {"address": row["ip_address"], "accounts": [], "failures": 0, "last": row["last"]},
        )
        lockout["accounts"].append((row["username"] or "", row["failures"]))
        lockout["failures"] += row["failures"]
        lockout["last"] = max(lockout["last"], row["last"])
    current = [
        lockout
        for lockout in lockouts.values()
        if counted_failures(max(n for _name, n in lockout["accounts"]), lockout["failures"])
        >= settings.AXES_FAILURE_LIMIT
    ]
    for lockout in current:
        lockout["until"] = lockout["last"] + get_cool_off()
    return sorted(current, key=lambda lockout: lockout["last"], reverse=True)


class LockoutsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Lock-outs")
    header_icon = "lock"
    template_name = "merchants/admin/lockouts.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=current_lockouts(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            address_limit=settings.PORTAL_LOGIN_ADDRESS_FAILURE_LIMIT,
            minutes=cool_off_minutes(),
            **kwargs,
        )


class LiftForm(forms.Form):
    address = forms.GenericIPAddressField()


@require_POST
def lift_view(request):
    form = LiftForm(request.POST)
    if form.is_valid():
        address = form.cleaned_data["address"]
        # Axes' own reset: every failure counted for that address, whatever the account.
        reset(ip=address)
        logger.warning("Lock-out of address %s lifted by %s.", address, request.user.get_username())
        messages.success(request, gettext("%(address)s may sign in again.") % {"address": address})
    else:
        messages.error(request, gettext("This is not an address: nothing was lifted."))
    return redirect("merchants_lockouts")


def admin_urls():
    return [
        path("lockouts/", city_only(LockoutsView.as_view()), name="merchants_lockouts"),
        path("lockouts/lift/", city_only(lift_view), name="merchants_lockouts_lift"),
    ]


class LockoutsMenuItem(MenuItem):
    """In the Settings menu, for city editors only."""

    def is_shown(self, request):
        return is_city_editor(request.user)


def menu_item():
    return LockoutsMenuItem(
        _("Lock-outs"), reverse("merchants_lockouts"), icon_name="lock", order=610
    )


# Mails that open an account -----------------------------------------------------------------


def account_mail_limited(kind, email, client=None):
    """Count one mail of `kind` to `email` (and from `client`, when a visitor asks for it);
    True once the mails of the window are used up: send nothing then."""
    limit = settings.PORTAL_ACCOUNT_MAIL_LIMIT
    window = settings.PORTAL_ACCOUNT_MAIL_WINDOW
    limited = rate_limited(f"{kind}-email", email.strip().lower(), limit, window)
    if client is not None:
        # Both are counted, so that one visitor cannot ask for every address's mails.
        limited = rate_limited(f"{kind}-client", client, limit, window) or limited
    if limited:
        logger.warning("%s mail not sent: more than PORTAL_ACCOUNT_MAIL_LIMIT asked for.", kind)
    return limited


class LimitedPasswordResetForm(PasswordResetForm):
    """WAGTAILADMIN_USER_PASSWORD_RESET_FORM: Wagtail's form, which sends no mail past the
    limit. The visitor sees the usual “check your e-mail” page either way, which says
    nothing about whether an account has this address."""

    def save(self, *args, request=None, **kwargs):
        if account_mail_limited("password-reset", self.cleaned_data["email"], client_ip(request)):
            return
        super().save(*args, request=request, **kwargs)
