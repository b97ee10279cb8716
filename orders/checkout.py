"""Turn a checked request list into one order request per shop, stored before any e-mail."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail import hooks

from home.models import PortalSettings
from notifications.outbox import enqueue

from .admin_urls import order_admin_url
from .forms import AT_HOME, CheckoutForm
from .models import Checkout, OrderRequest, OrderRequestLine, Status, StatusChange
from .request_list import checkout_modes, cost_of


class NotPlaced(Exception):
    """An app's check in `place` refused the checkout: what the resident chose was taken in
    the meantime (a collection point's day, a courier's window filled up). Nothing was
    stored; `message` says why and what to choose again, for the resident."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class AlreadyPlaced(Exception):
    """This idempotency key was used: the checkout it made is `checkout`."""

    def __init__(self, checkout):
        self.checkout = checkout


def place(groups, answers, *, key, language, site):
    """Create the checkout, its requests, their lines and their e-mails in one transaction.

    `answers` are a valid CheckoutForm's cleaned data: typed values (a date is a date).
    A second call with the same key (double click, reload, concurrent post) creates
    nothing and raises AlreadyPlaced with the first checkout."""
    portal = PortalSettings.for_site(site)
    try:
        with transaction.atomic():
            checkout = Checkout.objects.create(
                idempotency_key=key, email=answers["email"], language=language
            )
            orders = [create_order(checkout, group, answers, portal) for group in groups]
            extra = {}
            for placed in hooks.get_hooks("checkout_placed"):  # may raise NotPlaced
                extra.update(placed(checkout, orders, answers))
            notify(checkout, orders, language, extra)
    except IntegrityError:
        existing = Checkout.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        raise AlreadyPlaced(existing) from None
    return checkout


def create_order(checkout, group, answers, portal):
    shop = group.shop
    field = lambda name: answers.get(CheckoutForm.shop_field(shop, name))  # noqa: E731
    fulfilment = field("fulfilment")
    delivering = fulfilment in AT_HOME
    cost = cost_of(group, fulfilment, portal, answers)
    order = OrderRequest.objects.create(
        checkout=checkout,
        shop=shop,
        fulfilment=fulfilment,
        preferred_date=field("preferred_date"),
        name=answers["name"],
        email=answers["email"],
        phone=answers["phone"],
        street_address=answers.get("street_address", "") if delivering else "",
        postcode=answers.get("postcode", "") if delivering else "",
        town=answers.get("town", "") if delivering else "",
        message=field("message") or "",
        items_total=cost.items,
        delivery_fee=cost.fee,
        commission_rate=portal.commission_rate,
    )
    OrderRequestLine.objects.bulk_create(
        OrderRequestLine.of(order, line.product, line.quantity)
        for line in group.lines
        if not line.problem
    )
    StatusChange.objects.create(request=order, status=Status.NEW)
    for mode in checkout_modes():
        mode.placed(order, answers)
    return order


def cancel(order):
    """The resident withdraws a request the shop has not answered yet; the shop is told.

    The row is locked and its status read again, so a shop answering at the same moment
    is never overwritten: the one who comes second finds the other's status. Returns
    whether the request was cancelled."""
    with transaction.atomic():
        order = OrderRequest.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if not order.is_cancellable:
            return False
        order.status = Status.CANCELLED
        order.save(update_fields=["status", "updated_at"])
        StatusChange.objects.create(request=order, status=Status.CANCELLED)
        for changed in hooks.get_hooks("order_status_changed"):  # as orders.transitions
            changed(order)
        enqueue(
            to=order.shop.order_email,
            template="orders/request_cancelled_shop",
            context=mail_context(order),
            reply_to=[order.email],
            language=settings.LANGUAGE_CODE,
            reference=order.reference,
        )
    return True


def mail_context(order):
    """What every e-mail about `order` may say; other apps add theirs (the courier's window)
    through the "order_mail_context" hook, a function of the order returning a dict."""
    context = {
        "reference": order.reference,
        "shop": order.shop.title,
        "shop_address": f"{order.shop.street_address}, {order.shop.postcode} {order.shop.town}",
        "shop_phone": order.shop.phone,
        "fulfilment": order.fulfilment,
        "preferred_date": order.preferred_date.isoformat() if order.preferred_date else "",
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "address": f"{order.street_address}, {order.postcode} {order.town}"
        if order.fulfilment in AT_HOME
        else "",
        "message": order.message,
        "lines": [
            {
                "name": line.product_name,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "unit_label": line.unit_label,
                "total": str(line.total),
            }
            for line in order.lines.all()
        ],
        "items_total": str(order.items_total),
        "delivery_fee": str(order.delivery_fee),
        "total": str(order.total),
    }
    for extend in hooks.get_hooks("order_mail_context"):
        context.update(extend(order))
    return context


def notify(checkout, orders, language, extra=None):
    """One e-mail to each shop (its private order address), one to the resident; `extra`
    (what the apps' `checkout_placed` hooks return) goes into every one."""
    extra = extra or {}
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for order in orders:
        context = mail_context(order)
        context["admin_url"] = base + order_admin_url("inspect", order.pk)
        context.update(extra)
        enqueue(
            to=order.shop.order_email,
            template="orders/request_received_shop",
            context=context,
            reply_to=[order.email],
            language=settings.LANGUAGE_CODE,
            reference=order.reference,
        )
    status_url = base + reverse("orders:status", args=[checkout.status_token])
    enqueue(
        to=checkout.email,
        template="orders/checkout_confirmation",
        context={
            "name": orders[0].name,
            "status_url": status_url,
            "requests": [mail_context(order) for order in orders],
            **extra,
        },
        reply_to=[order.shop.public_email for order in orders if order.shop.public_email],
        language=language,
        reference=",".join(order.reference for order in orders),
    )
