"""Helpers every public form uses: a honeypot, a rate limit and the client's address."""

import hashlib
import ipaddress
import secrets

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers);
    bots that fill every field give themselves away."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self):
        return bool(self.data.get(self.add_prefix("website")))


def client_ip(request):
    """REMOTE_ADDR, or the address the trusted proxy saw when settings say there is one.

    With PORTAL_TRUSTED_PROXIES = N, the N-th address from the right of X-Forwarded-For
    is the client's (each proxy appends the address it received the request from)."""
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(scope, key, limit, window):
    """Count one hit for (scope, key); True once more than `limit` hits in `window` seconds.

    Counts live in the default cache, which production shares between app servers (the
    database cache), so the limit holds whatever server answers."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window):
        return limit < 1
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        hits = 1
    return hits > limit


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with ids beyond the database's integer range refused as any other
    unknown choice: SQLite raises OverflowError on them in the `IN (…)` query."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": next(filter(_beyond_64_bits, value), "")},
            ) from None


def _beyond_64_bits(value):
    digits = str(value).strip().removeprefix("-")
    return digits.isdigit() and int(digits) >= 2**63


def too_many_sent(scope, request, email):
    """Count one public form sent (a request, an application) from this client and for this
    e-mail address; True once either has sent more than PORTAL_REQUEST_RATE_LIMIT in
    PORTAL_REQUEST_RATE_WINDOW seconds."""
    limit = settings.PORTAL_REQUEST_RATE_LIMIT
    window = settings.PORTAL_REQUEST_RATE_WINDOW
    return rate_limited(f"{scope}-ip", client_ip(request), limit, window) or rate_limited(
        f"{scope}-email", email.lower(), limit, window
    )


def first_from_visitor(request, scope, what, *, window, hourly_limit):
    """Whether `what` (a click, a search…) comes from this visitor for the first time in
    `window` seconds, from an address that sent at most `hourly_limit` such first ones of
    `scope` in the last hour: what a public statistic counts, so that a loop does not
    inflate it.

    The visitor is a digest of the client's address (an IPv6 address by its /64: one
    subscriber has a whole one) and user agent, salted with a random value drawn each day.
    Digests and salt live in the default cache (shared by the app servers) and expire: no
    address is kept, nor can one be tied to a digest once the day's salt is gone. At
    midnight a new salt starts, so a repeat just after counts again."""
    salt = _daily_salt()
    address = _network(client_ip(request))
    visitor = _digest(salt, address, request.headers.get("User-Agent", ""))
    # A repeat writes nothing (with the database cache, a write is a transaction holding the
    # lock): only a visitor's first `what` counts against the address's cap.
    mark = f"first:{scope}:{_digest(visitor, *what)}"
    if cache.has_key(mark) or not cache.add(mark, 1, timeout=window):
        return False
    return not rate_limited(scope, _digest(salt, address), hourly_limit, window=3600)


def _daily_salt():
    key = f"visitor-salt:{timezone.localdate().isoformat()}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(16), timeout=2 * 24 * 3600)  # the first process's wins
        salt = cache.get(key, "")
    return salt


def _network(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def _digest(*parts):
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:32]


class EuroField(forms.DecimalField):
    """An amount in euros as a shopkeeper types it: "12,50" or "12.50", never negative."""

    def __init__(self, *, max_digits=8, required_message, negative_message, **kwargs):
        super().__init__(
            min_value=0,
            max_digits=max_digits,
            decimal_places=2,
            localize=True,
            error_messages={
                "required": required_message,
                "invalid": _("Enter an amount in euros, such as 12.50."),
                "min_value": negative_message,
                "max_digits": _("This amount is too large: check it."),
                "max_whole_digits": _("This amount is too large: check it."),
                "max_decimal_places": _("Enter at most two decimals: cents."),
            },
            **kwargs,
        )


class DayField(forms.DateField):
    """The day a day-by-day admin list shows (a collection point's day list, a courier's
    round sheet): a date input, empty for today, and within two years of today, so that a
    typed year 9999 gets a message next to the field rather than a date past Python's range
    once the list works out the next day."""

    DAYS_AROUND_TODAY = 730

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Day"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date such as 24/12/2026.")})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and abs((value - timezone.localdate()).days) > self.DAYS_AROUND_TODAY:
            raise ValidationError(_("Choose a day within two years of today."), code="far")
