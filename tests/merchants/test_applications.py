"""Joining the portal: the public application, the city's review, the merchant's invitation."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from home.models import PortalSettings
from merchants import applications
from merchants.models import MerchantApplication, MerchantPage, ShopAccess, ShopMembership
from notifications.models import Notification

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

APPLY = "/inscrire-mon-commerce/"


def answers(**overrides):
    data = {
        "shop_name": "La Fromagerie du Beffroi",
        "contact_name": "Julie Marchal",
        "email": "julie@fromagerie.example",
        "phone": "065 44 12 90",
        "street_address": "Rue du Beffroi 14",
        "postcode": "7000",
        "town": "Valbourg",
        "offers_pickup": "on",
        "message": "Fromages affinés sur place.",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def city_contact(home):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "commerce@valbourg.example"
    settings.save()
    return settings.contact_email


@pytest.fixture
def application(shop_index):
    category = builders.category("Fromagerie", "🧀")
    application = MerchantApplication.objects.create(
        **{k: v for k, v in answers().items() if k not in ("offers_pickup", "consent")},
        offers_pickup=True,
        offers_delivery=True,
    )
    application.categories.set([category])
    return application


@pytest.mark.parametrize("category_id", ["99999999999999999999", "-99999999999999999999", "x"])
def test_a_forged_category_is_a_field_error_and_the_answers_are_kept(client, category_id):
    response = client.post(APPLY, answers(categories=[category_id]))

    assert response.status_code == 400
    assert response.context["form"].errors["categories"]
    assert "La Fromagerie du Beffroi" in response.content.decode()
    assert not MerchantApplication.objects.exists()


def test_a_shopkeeper_applies_and_the_city_is_told(
    client, city_contact, django_capture_on_commit_callbacks
):
    category = builders.category("Fromagerie", "🧀")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, answers(categories=[category.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/inscrire-mon-commerce/merci/"
    application = MerchantApplication.objects.get()
    assert application.status == "pending"
    assert list(application.categories.all()) == [category]
    [message] = mail.outbox
    assert message.to == [city_contact]
    assert message.reply_to == ["julie@fromagerie.example"]
    assert "La Fromagerie du Beffroi" in message.subject
    assert (
        f"/admin/snippets/merchants/merchantapplication/inspect/{application.pk}/" in message.body
    )


def test_without_a_contact_address_the_city_editors_are_told(
    client, city_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, answers())

    assert [message.to for message in mail.outbox] == [[city_editor.email]]


@pytest.mark.parametrize(
    "field,typed,error",
    [
        ("shop_name", "", "Enter the name of your shop."),
        ("email", "julie@", "Enter an e-mail address such as name@example.be."),
        ("contact_name", "Julie\r\nBcc: x@example.org", "Write this on one line."),
        ("message", "x" * 2001, "at most 2000 characters"),
        ("message", "nul\x00byte", "Null characters are not allowed."),
        ("consent", "", "Tick this box so that the city may contact you."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, home, field, typed, error):
    client.cookies["django_language"] = "en"

    response = client.post(APPLY, answers(**{field: typed}))

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert 'value="Rue du Beffroi 14"' in page  # what was typed stays
    assert not MerchantApplication.objects.exists()


def test_a_bot_filling_the_honeypot_stores_nothing(client, home):
    response = client.post(APPLY, answers(website="http://spam.example"))

    assert response.status_code == 302
    assert not MerchantApplication.objects.exists()


def test_applications_are_rate_limited(client, home, settings):
    settings.PORTAL_REQUEST_RATE_LIMIT = 2
    client.cookies["django_language"] = "en"
    for n in range(3):
        response = client.post(APPLY, answers(email=f"shop{n}@example.org"))

    assert MerchantApplication.objects.count() == 2
    assert "Too many applications" in response.content.decode()


def test_the_footer_leads_to_the_application(client, home):
    assert APPLY in client.get("/").content.decode()


def test_approving_creates_the_shop_the_account_and_the_access(
    client, city_editor, application, django_capture_on_commit_callbacks
):
    admin_login(client, city_editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("merchants_application_approve", args=[application.pk]))

    shop = MerchantPage.objects.get(title="La Fromagerie du Beffroi")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[shop.pk])
    assert not shop.live  # a draft the merchant completes
    assert (shop.street_address, shop.order_email, shop.offers_delivery) == (
        "Rue du Beffroi 14",
        "julie@fromagerie.example",
        True,
    )
    assert [c.name for c in shop.categories.all()] == ["Fromagerie"]
    merchant = get_user_model().objects.get(email="julie@fromagerie.example")
    assert not merchant.has_usable_password()
    assert ShopMembership.objects.filter(user=merchant, shop=shop).exists()
    assert ShopAccess.objects.filter(shop=shop).exists()
    assert shop.permissions_for_user(merchant).can_edit()
    application.refresh_from_db()
    assert (application.status, application.shop, application.decided_by) == (
        "approved",
        shop.page_ptr.specific,
        city_editor,
    )

    [invitation] = mail.outbox
    assert invitation.to == ["julie@fromagerie.example"]
    link = re.search(r"http://testserver(/admin/password_reset/\S+)", invitation.body)[1]
    # The link lets the merchant choose a password, then log in to its shop.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert b"new_password1" in form_page.content
    set_password = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "fromage-du-beffroi-2026", "new_password2": "fromage-du-beffroi-2026"},
    )
    assert set_password.status_code == 302
    merchant.refresh_from_db()
    assert merchant.check_password("fromage-du-beffroi-2026")


def test_approving_twice_creates_one_shop(client, city_editor, application):
    admin_login(client, city_editor)
    url = reverse("merchants_application_approve", args=[application.pk])

    client.post(url)
    client.post(url)

    assert MerchantPage.objects.filter(title="La Fromagerie du Beffroi").count() == 1
    with pytest.raises(applications.AlreadyDecided):
        applications.approve(application, city_editor)


def test_an_existing_account_of_that_address_is_reused_once_confirmed(
    city_editor, application, baker
):
    application.email = baker.email.upper()
    application.save()

    with pytest.raises(applications.AccountToConfirm) as unconfirmed:
        applications.approve(application, city_editor)
    assert unconfirmed.value.account == baker
    application.refresh_from_db()
    assert application.status == "pending"
    assert not MerchantPage.objects.filter(title="La Fromagerie du Beffroi").exists()

    shop = applications.approve(application, city_editor, account=baker)

    assert set(baker.shop_memberships.values_list("shop", flat=True)) >= {shop.pk}
    assert get_user_model().objects.filter(email__iexact=baker.email).count() == 1


@pytest.fixture
def colleague(django_user_model):
    """Another city editor, whose address an applicant gives."""
    from django.contrib.auth.models import Group

    from merchants.ownership import CITY_EDITORS_GROUP

    user = django_user_model.objects.create_user(
        username="collegue",
        email="julie@fromagerie.example",
        first_name="Julie",
        last_name="Collègue",
        password="x",
    )
    user.groups.add(Group.objects.get(name=CITY_EDITORS_GROUP))
    return user


def test_approving_for_a_city_editors_address_asks_first_and_does_nothing_unconfirmed(
    client, city_editor, colleague, application
):
    admin_login(client, city_editor)
    url = reverse("merchants_application_approve", args=[application.pk])

    page = client.get(url).content.decode()
    refused = client.post(url)

    for shown in ["Julie Collègue", "collegue", "julie@fromagerie.example"]:
        assert shown in page
    assert "This account is a city editor." in page
    assert f'name="account" value="{colleague.pk}"' in page
    assert refused.status_code == 400
    assert "Tick the box to give this account the new shop" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    assert not MerchantPage.objects.filter(title="La Fromagerie du Beffroi").exists()
    assert not colleague.shop_memberships.exists()
    assert not Notification.objects.exists()
    admin_login(client, city_editor, language="fr")
    assert "Ce compte est éditeur de la ville." in client.get(url).content.decode()


def test_approving_for_a_merchants_address_shows_its_shops_then_proceeds_when_confirmed(
    client, city_editor, baker, application, django_capture_on_commit_callbacks
):
    application.email = baker.email
    application.save()
    admin_login(client, city_editor)
    url = reverse("merchants_application_approve", args=[application.pk])
    assert "This account manages Boulangerie Dupont." in client.get(url).content.decode()

    # A box confirming another account (the page was shown for one since replaced) is refused.
    stale = client.post(url, {"account": str(city_editor.pk)})
    assert stale.status_code == 400
    assert "The account of this address changed" in stale.content.decode()
    assert not MerchantPage.objects.filter(title="La Fromagerie du Beffroi").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"account": str(baker.pk)})

    shop = MerchantPage.objects.get(title="La Fromagerie du Beffroi")
    assert done["Location"] == reverse("wagtailadmin_pages:edit", args=[shop.pk])
    assert set(baker.shop_memberships.values_list("shop", flat=True)) == {
        shop.pk,
        MerchantPage.objects.get(title="Boulangerie Dupont").pk,
    }
    assert [message.to for message in mail.outbox] == [[baker.email]]


def test_declining_needs_a_reason_and_sends_it(
    client, city_editor, application, django_capture_on_commit_callbacks
):
    admin_login(client, city_editor)
    url = reverse("merchants_application_decline", args=[application.pk])

    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why: the applicant reads it." in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Le portail est réservé aux commerces de Valbourg."})

    application.refresh_from_db()
    assert application.status == "declined"
    [message] = mail.outbox
    assert message.to == ["julie@fromagerie.example"]
    assert "réservé aux commerces de Valbourg" in message.body
    assert not MerchantPage.objects.filter(title="La Fromagerie du Beffroi").exists()


@pytest.mark.parametrize("persona", ["baker", "florist"])
def test_merchants_cannot_see_or_decide_applications(request, client, application, persona):
    client.force_login(request.getfixturevalue(persona))

    responses = [
        client.get(reverse("wagtailsnippets_merchants_merchantapplication:list")),
        client.get(
            reverse("wagtailsnippets_merchants_merchantapplication:inspect", args=[application.pk])
        ),
        client.post(reverse("merchants_application_approve", args=[application.pk])),
        client.post(
            reverse("merchants_application_decline", args=[application.pk]), {"reason": "x"}
        ),
    ]

    assert all(response.status_code in (302, 403) for response in responses)
    assert all(b"Fromagerie" not in response.content for response in responses)
    application.refresh_from_db()
    assert application.status == "pending"
    assert not Notification.objects.exists()


def test_a_user_name_already_taken_gets_a_number(city_editor, application, django_user_model):
    django_user_model.objects.create_user(
        username="julie@fromagerie.example", email="autre@example.org", password="x"
    )

    applications.approve(application, city_editor)

    merchant = django_user_model.objects.get(email="julie@fromagerie.example")
    assert merchant.username == "julie@fromagerie.example-2"
