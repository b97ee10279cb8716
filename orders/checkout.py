"""Turn a checked request list into one order request per shop, stored before any e-mail."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from home.models import PortalSettings
from notifications.outbox import enqueue

from .admin_urls import order_admin_url
from .forms import CheckoutForm
from .models import Checkout, Fulfilment, OrderRequest, OrderRequestLine, Status, StatusChange


class AlreadyPlaced(Exception):
    """This idempotency key was used: the checkout it made is `checkout`."""

    def __init__(self, checkout):
        self.checkout = checkout


def place(groups, answers, *, key, language, site):
    """Create the checkout, its requests, their lines and their e-mails in one transaction.

    A second call with the same key (double click, reload, concurrent post) creates
    nothing and raises AlreadyPlaced with the first checkout."""
    portal = PortalSettings.for_site(site)
    try:
        with transaction.atomic():
            checkout = Checkout.objects.create(
                idempotency_key=key, email=answers["email"], language=language
            )
            requests = [create_request(checkout, group, answers, portal) for group in groups]
            notify(checkout, requests, language)
    except IntegrityError:
        existing = Checkout.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        raise AlreadyPlaced(existing) from None
    return checkout


def create_request(checkout, group, answers, portal):
    shop = group.shop
    field = lambda name: answers.get(CheckoutForm.shop_field(shop, name))  # noqa: E731
    fulfilment = field("fulfilment")
    delivering = fulfilment == Fulfilment.DELIVERY
    preferred = field("preferred_date")
    lines = [line for line in group.lines if not line.problem]
    request = OrderRequest.objects.create(
        checkout=checkout,
        shop=shop,
        fulfilment=fulfilment,
        preferred_date=date.fromisoformat(preferred) if preferred else None,
        name=answers["name"],
        email=answers["email"],
        phone=answers["phone"],
        street_address=answers.get("street_address", "") if delivering else "",
        postcode=answers.get("postcode", "") if delivering else "",
        town=answers.get("town", "") if delivering else "",
        message=field("message") or "",
        items_total=sum(line.product.price * line.quantity for line in lines),
        delivery_fee=shop.effective_delivery_fee(portal) if delivering else 0,
        commission_rate=portal.commission_rate,
    )
    OrderRequestLine.objects.bulk_create(
        OrderRequestLine.of(request, line.product, line.quantity) for line in lines
    )
    StatusChange.objects.create(request=request, status=Status.NEW)
    return request


def cancel(request):
    """The resident withdraws a request the shop has not answered yet; the shop is told.

    The row is locked and its status read again, so a shop answering at the same moment
    is never overwritten: the one who comes second finds the other's status. Returns
    whether the request was cancelled."""
    with transaction.atomic():
        request = OrderRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if not request.is_cancellable:
            return False
        request.status = Status.CANCELLED
        request.save(update_fields=["status", "updated_at"])
        StatusChange.objects.create(request=request, status=Status.CANCELLED)
        enqueue(
            to=request.shop.order_email,
            template="orders/request_cancelled_shop",
            context=mail_context(request),
            reply_to=[request.email],
            language=settings.LANGUAGE_CODE,
            reference=request.reference,
        )
    return True


def mail_context(request):
    return {
        "reference": request.reference,
        "shop": request.shop.title,
        "shop_address": f"{request.shop.street_address}, {request.shop.postcode} "
        f"{request.shop.town}",
        "shop_phone": request.shop.phone,
        "fulfilment": request.fulfilment,
        "preferred_date": request.preferred_date.isoformat() if request.preferred_date else "",
        "name": request.name,
        "email": request.email,
        "phone": request.phone,
        "address": f"{request.street_address}, {request.postcode} {request.town}"
        if request.fulfilment == Fulfilment.DELIVERY
        else "",
        "message": request.message,
        "lines": [
            {
                "name": line.product_name,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "unit_label": line.unit_label,
                "total": str(line.total),
            }
            for line in request.lines.all()
        ],
        "items_total": str(request.items_total),
        "delivery_fee": str(request.delivery_fee),
        "total": str(request.total),
    }


def notify(checkout, requests, language):
    """One e-mail to each shop (its private order address), one to the resident."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for request in requests:
        context = mail_context(request)
        context["admin_url"] = base + order_admin_url("inspect", request.pk)
        enqueue(
            to=request.shop.order_email,
            template="orders/request_received_shop",
            context=context,
            reply_to=[request.email],
            language=settings.LANGUAGE_CODE,
            reference=request.reference,
        )
    status_url = base + reverse("orders:status", args=[checkout.status_token])
    enqueue(
        to=checkout.email,
        template="orders/checkout_confirmation",
        context={
            "name": requests[0].name,
            "status_url": status_url,
            "requests": [mail_context(request) for request in requests],
        },
        reply_to=[r.shop.public_email for r in requests if r.shop.public_email],
        language=language,
        reference=",".join(request.reference for request in requests),
    )
