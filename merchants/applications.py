"""Joining the portal: a shopkeeper applies; a city editor approves or declines.

Approving creates, in one transaction, the shop page (a draft, filled in from the
application), the merchant's account (or reuses the one of that e-mail address, once the
city editor has confirmed that account: it may be anyone's, a city editor's too), its
membership — and through it the shop's group, collection and permissions
(merchants/access.py) — and an invitation e-mail with a link to choose a password
(Django's password-reset token, valid PASSWORD_RESET_TIMEOUT). Declining e-mails the
reason. Every e-mail goes through the outbox.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Site

from home.models import PortalSettings
from home.slugs import free_slug
from notifications.outbox import enqueue

from .models import MerchantApplication, MerchantIndexPage, MerchantPage, ShopMembership
from .ownership import CITY_EDITORS_GROUP
from .sign_in import account_mail_limited

Status = MerchantApplication.Status


class AlreadyDecided(Exception):
    pass


class AccountToConfirm(Exception):
    """The application's address is that of an existing account, which approving would make
    a member of the new shop: the city editor confirms that account first."""

    def __init__(self, account):
        super().__init__(account)
        self.account = account


def admin_url(name, *args):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


def city_addresses(site):
    """Where the city reads applications: its contact address, else its editors'."""
    contact = PortalSettings.for_site(site).contact_email if site else ""
    if contact:
        return [contact]
    editors = (
        get_user_model()
        .objects.filter(groups__name=CITY_EDITORS_GROUP, is_active=True)
        .exclude(email="")
    )
    return sorted(set(editors.values_list("email", flat=True)))


def received(application, site):
    """Tell the city, in the same transaction as the application is stored."""
    for address in city_addresses(site):
        enqueue(
            to=address,
            template="merchants/application_received_city",
            context={
                "shop_name": application.shop_name,
                "contact_name": application.contact_name,
                "email": application.email,
                "phone": application.phone,
                "address": f"{application.street_address}, {application.postcode} "
                f"{application.town}",
                "message": application.message,
                "review_url": admin_url(
                    "wagtailsnippets_merchants_merchantapplication:inspect", application.pk
                ),
            },
            reply_to=[application.email],
            language=settings.LANGUAGE_CODE,
        )


def _locked(application):
    application = MerchantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.PENDING:
        raise AlreadyDecided
    return application


def existing_account(application):
    """The account that already has the application's e-mail address, if any."""
    return get_user_model().objects.filter(email__iexact=application.email).order_by("pk").first()


def _new_account(application):
    User = get_user_model()
    username = base = application.email.lower()[:140]
    number = 2
    while User.objects.filter(username=username).exists():
        username, number = f"{base}-{number}", number + 1
    first, _space, last = application.contact_name.partition(" ")
    user = User(username=username, email=application.email, first_name=first[:150])
    user.last_name = last[:150]
    user.set_unusable_password()
    user.save()
    return user


def approve(application, by, *, account=None):
    """Create the shop and invite its merchant. When an account already has the
    application's address, it becomes the merchant only if it is `account`, the one the
    city editor confirmed; otherwise nothing is done and AccountToConfirm names it."""
    with transaction.atomic():
        application = _locked(application)
        existing = existing_account(application)
        if existing is not None and existing != account:
            raise AccountToConfirm(existing)
        index = MerchantIndexPage.objects.first()
        shop = MerchantPage(
            title=application.shop_name,
            slug=free_slug(
                application.shop_name,
                set(index.get_children().values_list("slug", flat=True)),
                max_length=60,
                fallback="commerce",
            ),
            street_address=application.street_address,
            postcode=application.postcode,
            town=application.town,
            phone=application.phone,
            order_email=application.email,
            offers_pickup=application.offers_pickup,
            offers_delivery=application.offers_delivery,
            # A start the merchant widens on its page: its own postcode.
            delivery_postcodes=application.postcode if application.offers_delivery else "",
            live=False,
        )
        index.add_child(instance=shop)
        shop.categories.set(application.categories.all())
        shop.save()  # a parental many-to-many is written on save
        shop.save_revision(user=by)
        user = existing or _new_account(application)
        ShopMembership.objects.get_or_create(user=user, shop=shop)
        application.status = Status.APPROVED
        application.shop = shop
        application.decided_by = by
        application.decided_at = timezone.now()
        application.save()
        if account_mail_limited("invitation", application.email):
            # The account and its shop exist: the merchant already holds invitations to it.
            return shop
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        enqueue(
            to=application.email,
            template="merchants/invitation",
            context={
                "contact_name": application.contact_name,
                "shop_name": shop.title,
                "username": user.get_username(),
                "set_password_url": admin_url(
                    "wagtailadmin_password_reset_confirm",
                    uid,
                    default_token_generator.make_token(user),
                ),
                "login_url": admin_url("wagtailadmin_login"),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
            language=settings.LANGUAGE_CODE,
        )
    return shop


def decline(application, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to decline an application.")
    with transaction.atomic():
        application = _locked(application)
        application.status = Status.DECLINED
        application.decline_reason = reason
        application.decided_by = by
        application.decided_at = timezone.now()
        application.save()
        enqueue(
            to=application.email,
            template="merchants/application_declined",
            context={
                "contact_name": application.contact_name,
                "shop_name": application.shop_name,
                "reason": reason,
            },
            reply_to=city_addresses(Site.objects.filter(is_default_site=True).first()),
            language=settings.LANGUAGE_CODE,
        )
    return application
