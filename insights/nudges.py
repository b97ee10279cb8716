"""Nudges: the e-mails that keep the shops alive.

- the monthly report: last month's numbers and the one thing most worth doing next;
- a reminder to a shop not updated for PORTAL_STALE_AFTER_DAYS days;
- a reminder about requests still unanswered after PORTAL_UNANSWERED_REMINDER_HOURS, and a
  copy to the city after PORTAL_UNANSWERED_CITY_HOURS.

Each rule is a small function that returns the `Mail`s due; `send` stores a mail in the
outbox with its `Nudge` rows in one transaction, and the rows' unique constraint makes it
never twice for the same period. `send_due` is what the `send_nudges` command runs.

Shop mails go to the shop's order e-mail: every request already arrives there, so it is
the address the shop reads (the members' own e-mails are the fallback when it is empty).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Site

from merchants.addresses import shop_addresses, shop_language
from merchants.applications import admin_url, city_addresses
from merchants.models import MerchantPage
from notifications.outbox import enqueue
from orders.admin_urls import order_admin_url_name
from orders.models import OrderRequest, Status

from .models import DailyCount, Nudge, NudgeKind, NudgeOptOut
from .numbers import UNANSWERED

logger = logging.getLogger(__name__)

OPT_OUT_SALT = "insights.nudges.opt-out"
# Requests older than this are not reminded about: the first run after a deployment (or
# after cron stopped for a while) must not mail about requests long given up. They stay
# on the shop's and the city's dashboards.
UNANSWERED_LOOKBACK = timedelta(days=7)
# Their periods are request references: the outbox rows name them, so that the request's
# page lists the reminders and the anonymisation of its resident's data finds them.
REQUEST_KINDS = {NudgeKind.UNANSWERED, NudgeKind.UNANSWERED_CITY}


@dataclass
class Mail:
    """One e-mail to send to `to`, about `shop`. `items` maps each period it covers to what
    the mail says about it (a reminder may cover several requests); only the periods not
    nudged yet are sent, as `items` in the context."""

    shop: MerchantPage
    kind: str
    template: str
    to: list
    language: str
    items: dict
    context: dict = field(default_factory=dict)


# Recipients, language, links -------------------------------------------------------------


def opt_out_token(shop, kind):
    return signing.dumps([shop.pk, str(kind)], salt=OPT_OUT_SALT)


def read_opt_out_token(token):
    """(shop id, kind) from a token made by `opt_out_token`; None when it was tampered with."""
    try:
        shop_id, kind = signing.loads(token, salt=OPT_OUT_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(shop_id, int) or kind not in NudgeKind.values:
        return None
    return shop_id, kind


def opt_out_url(shop, kind):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "insights:opt_out", args=[opt_out_token(shop, kind)]
    )


def _not_opted_out(shops, kind):
    return shops.exclude(Exists(NudgeOptOut.objects.filter(shop=OuterRef("pk"), kind=kind)))


def _shop_mail(shop, kind, language, items, **context):
    """A mail to the shop itself, at the addresses it reads, with the templates named after
    its kind; `language` is the shop's (shop_language), which the caller also needs to
    write the dates of `items` and `context`."""
    return Mail(
        shop=shop,
        kind=kind,
        template=f"insights/{kind}",
        to=shop_addresses(shop),
        language=language,
        items=items,
        context={"shop": shop.title, **context},
    )


def _localised(moment, language, fmt):
    with translation.override(language):
        return date_format(
            timezone.localtime(moment) if isinstance(moment, datetime) else moment, fmt
        )


# The monthly report --------------------------------------------------------------------


def month_bounds(first_day):
    """(first moment of the month starting on `first_day`, first moment of the next)."""
    next_month = (first_day + timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.combine(first_day, time.min)),
        timezone.make_aware(datetime.combine(next_month, time.min)),
    )


def previous_month(day):
    """The first day of the month before `day`'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_numbers(shop, month):
    """The shop's numbers for the month starting on `month`, and the month before's."""
    starts, ends = month_bounds(month)
    in_month = Q(day__gte=month)
    in_before = Q(day__lt=month)
    # Days are local dates, as the counters write them.
    counts = DailyCount.objects.filter(
        shop=shop, day__gte=previous_month(month), day__lt=timezone.localdate(ends)
    )
    compared = counts.compared(in_month, in_before)
    events = {
        "views": compared["views_now"],
        "views_before": compared["views_before"],
        "intents": compared["intents_now"],
        "intents_before": compared["intents_before"],
    }
    # Answered: the shop said something (accepted, declined...); a resident's cancellation
    # and an expiry only ever come instead of an answer.
    orders = OrderRequest.objects.filter(
        shop=shop, created_at__gte=starts, created_at__lt=ends
    ).aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=~Q(status__in=UNANSWERED)),
    )
    return {key: value or 0 for key, value in {**events, **orders}.items()}


def suggestion(shop, now=None):
    """The one thing most worth doing on the shop's page, by rule, first that applies: fill
    in the opening hours; add a first product; add photos to the products that have none;
    update the product left alone longest; else, keep it up."""
    now = now or timezone.now()
    if not shop.opening_hours.exists():
        return {"kind": "hours", "url": admin_url("wagtailadmin_pages:edit", shop.pk)}
    products = shop.products.filter(is_active=True).order_by("updated_at", "pk")
    oldest = products.first()
    if oldest is None:
        return {"kind": "first_product", "url": admin_url("wagtailsnippets_products_product:add")}
    without_photo = products.filter(images__isnull=True)
    missing = without_photo.count()
    if missing:
        first = without_photo.first()
        return {
            "kind": "photos",
            "count": missing,
            "product": first.name,
            "url": admin_url("wagtailsnippets_products_product:edit", first.pk),
        }
    age = (now - oldest.updated_at).days
    if age >= settings.PORTAL_STALE_AFTER_DAYS:
        return {
            "kind": "update_product",
            "product": oldest.name,
            "days": age,
            "url": admin_url("wagtailsnippets_products_product:edit", oldest.pk),
        }
    return {"kind": "keep_up"}


def monthly_reports(now=None):
    """On or after the 1st, a report on the month that ended to each live shop that was
    live during it and has not had it yet."""
    now = now or timezone.now()
    month = previous_month(timezone.localdate(now))
    period = f"{month:%Y-%m}"
    ends = month_bounds(month)[1]
    sent = Nudge.objects.filter(shop=OuterRef("pk"), kind=NudgeKind.MONTHLY_REPORT, period=period)
    shops = (
        _not_opted_out(MerchantPage.objects.live(), NudgeKind.MONTHLY_REPORT)
        .filter(first_published_at__lt=ends)
        .exclude(Exists(sent))
        .order_by("pk")
    )
    mails = []
    for shop in shops:
        language = shop_language(shop)
        mails.append(
            _shop_mail(
                shop,
                NudgeKind.MONTHLY_REPORT,
                language,
                {period: {}},
                month=_localised(month, language, "F Y"),
                month_before=_localised(previous_month(month), language, "F Y"),
                numbers=month_numbers(shop, month),
                suggestion=suggestion(shop, now),
                admin_url=admin_url("wagtailadmin_home"),
            )
        )
    return mails


# The stale shop ------------------------------------------------------------------------


def stale_period(last_update, now):
    """A reminder after N days without an update, another after 2N, 3N...: the period names
    the last update and the step, so that an update starts the count again."""
    every = settings.PORTAL_STALE_AFTER_DAYS
    step = (now - last_update).days // every * every
    return f"{timezone.localdate(last_update):%Y-%m-%d}/{step}d"


def stale_reminders(now=None):
    """To each live shop whose page and products have not changed for
    PORTAL_STALE_AFTER_DAYS, with the suggestion of what to update."""
    now = now or timezone.now()
    stale_before = now - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)
    shops = (
        _not_opted_out(MerchantPage.objects.live(), NudgeKind.STALE_SHOP)
        .with_last_update()
        .filter(last_update__lt=stale_before)
        .order_by("pk")
    )
    shops = list(shops)
    already = set(
        Nudge.objects.filter(kind=NudgeKind.STALE_SHOP, shop__in=shops).values_list(
            "shop_id", "period"
        )
    )
    mails = []
    for shop in shops:
        period = stale_period(shop.last_update, now)
        if (shop.pk, period) in already:
            continue
        language = shop_language(shop)
        mails.append(
            _shop_mail(
                shop,
                NudgeKind.STALE_SHOP,
                language,
                {period: {}},
                days=(now - shop.last_update).days,
                last_update=_localised(shop.last_update, language, "j F Y"),
                suggestion=suggestion(shop, now),
                edit_url=admin_url("wagtailadmin_pages:edit", shop.pk),
            )
        )
    return mails


# Unanswered requests -------------------------------------------------------------------


def _unanswered(kind, after_hours, now):
    """{shop: [order]}: new requests older than `after_hours`, not yet nudged as `kind`."""
    nudged = Nudge.objects.filter(shop=OuterRef("shop_id"), kind=kind, period=OuterRef("reference"))
    opted_out = NudgeOptOut.objects.filter(shop=OuterRef("shop_id"), kind=kind)
    orders = (
        OrderRequest.objects.filter(
            status=Status.NEW,
            created_at__lte=now - timedelta(hours=after_hours),
            created_at__gt=now - UNANSWERED_LOOKBACK,
            shop__live=True,
        )
        .exclude(Exists(nudged))
        .exclude(Exists(opted_out))
        .select_related("shop")
        .order_by("shop_id", "created_at")
    )
    by_shop = {}
    for order in orders:
        by_shop.setdefault(order.shop, []).append(order)
    return by_shop


def _order_item(order, language, **extra):
    return {
        "reference": order.reference,
        "received": _localised(order.created_at, language, "l j F, H:i"),
        "url": admin_url(order_admin_url_name("inspect"), order.pk),
        **extra,
    }


def unanswered_reminders(now=None):
    """To the shop, about its requests still new after PORTAL_UNANSWERED_REMINDER_HOURS."""
    now = now or timezone.now()
    mails = []
    hours = settings.PORTAL_UNANSWERED_REMINDER_HOURS
    for shop, orders in _unanswered(NudgeKind.UNANSWERED, hours, now).items():
        language = shop_language(shop)
        items = {order.reference: _order_item(order, language, name=order.name) for order in orders}
        mails.append(_shop_mail(shop, NudgeKind.UNANSWERED, language, items, hours=hours))
    return mails


def unanswered_city_copies(now=None):
    """To the city, about requests still new after PORTAL_UNANSWERED_CITY_HOURS, whether or
    not the shop opted out of its own reminders. No resident's data: the reference suffices."""
    now = now or timezone.now()
    hours = settings.PORTAL_UNANSWERED_CITY_HOURS
    by_shop = _unanswered(NudgeKind.UNANSWERED_CITY, hours, now)
    if not by_shop:
        return []
    to = city_addresses(Site.objects.filter(is_default_site=True).first())
    language = settings.LANGUAGE_CODE
    return [
        Mail(
            shop=shop,
            kind=NudgeKind.UNANSWERED_CITY,
            template="insights/unanswered_city",
            to=to,
            language=language,
            items={order.reference: _order_item(order, language) for order in orders},
            context={
                "shop": shop.title,
                "shop_phone": shop.phone,
                "shop_email": shop.order_email,
                "hours": hours,
            },
        )
        for shop, orders in by_shop.items()
    ]


# Sending -------------------------------------------------------------------------------


def _record(shop, kind, period):
    """Whether this run is the first to nudge `shop` about `period`: the unique constraint
    decides, inside a savepoint so that a clash leaves the outer transaction usable."""
    try:
        with transaction.atomic():
            Nudge.objects.create(shop=shop, kind=kind, period=period)
    except IntegrityError:
        return False
    return True


def send(mail):
    """Store `mail` in the outbox with a Nudge row per period, in one transaction; the
    periods another run nudged meanwhile are left out. Whether anything was sent."""
    if not mail.to:
        return False
    with transaction.atomic():
        fresh = [period for period in mail.items if _record(mail.shop, mail.kind, period)]
        if not fresh:
            return False
        context = {
            **mail.context,
            "items": [mail.items[period] for period in fresh],
            "opt_out_url": opt_out_url(mail.shop, mail.kind),
        }
        if mail.kind in REQUEST_KINDS:
            reference = ",".join(fresh)
        else:
            reference = f"{mail.kind}:{mail.shop.pk}:{fresh[0]}"
        for address in mail.to:
            enqueue(
                to=address,
                template=mail.template,
                context=context,
                language=mail.language,
                reference=reference,
            )
    return True


RULES = {
    NudgeKind.MONTHLY_REPORT: monthly_reports,
    NudgeKind.STALE_SHOP: stale_reminders,
    NudgeKind.UNANSWERED: unanswered_reminders,
    NudgeKind.UNANSWERED_CITY: unanswered_city_copies,
}


def send_due(now=None):
    """Send every nudge that is due; {kind: number of e-mails stored}. A mail that cannot
    be stored is logged and left for the next run; the others still go."""
    now = now or timezone.now()
    sent = {}
    for kind, rule in RULES.items():
        sent[kind] = 0
        for mail in rule(now):
            try:
                sent[kind] += send(mail)
            except Exception:
                logger.exception("Nudge %s for shop %s not stored", kind, mail.shop.pk)
    return sent
