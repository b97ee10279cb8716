"""Anonymous pages come from the cache (home/page_cache.py), never stale, never anyone's."""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from catalogue import sync
from catalogue.models import CatalogueSource
from home.models import PortalSettings
from insights import counting
from insights.models import Event
from merchants.models import OpeningHours

from .. import builders, timetravel
from ..catalogue.servers import CatalogueServer

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
ADD_URL = reverse("orders:add")
VISITOR_URL = reverse("orders:visitor")
PAYLOADS = Path(__file__).parents[1] / "catalogue" / "payloads"


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition")


def visitor():
    return Client(headers={"user-agent": BROWSER})


def cached(url):
    """The page at `url`, put in the cache by a first visitor and read back by a second."""
    assert visitor().get(url)["X-Cache"] == "MISS"
    response = visitor().get(url)
    assert response["X-Cache"] == "HIT"
    return response.content.decode()


def fresh(url):
    response = visitor().get(url)
    assert response["X-Cache"] == "MISS"
    return response.content.decode()


def add_form(product):
    return f'name="product" value="{product.pk}"'


def test_the_second_visitor_gets_the_first_ones_page_from_the_cache(bakery, baguette):
    first = visitor().get(bakery.url)
    second = visitor().get(bakery.url)

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second
    # No shared cache may keep it beyond this server's own (whose purges it cannot see).
    assert "max-age=0" in second["Cache-Control"]
    assert "public" in second["Cache-Control"]


def test_a_shared_page_holds_no_csrf_token_nor_counter_and_sets_no_cookie(bakery, baguette):
    response = visitor().get(bakery.url)
    page = response.content.decode()

    assert add_form(baguette) in page
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert not re.search(r'name="csrfmiddlewaretoken" value="\w', page)
    assert "data-visitor-count" in page
    assert not response.cookies


def test_the_query_string_and_the_language_have_their_own_pages(bakery, shop_index):
    french = cached(shop_index.url)

    english = visitor()
    english.cookies["django_language"] = "en"
    assert english.get(shop_index.url)["X-Cache"] == "MISS"
    assert english.get(shop_index.url)["X-Cache"] == "HIT"
    assert 'lang="en"' in english.get(shop_index.url).content.decode()
    assert 'lang="fr"' in french
    assert visitor().get(shop_index.url + "?page=1")["X-Cache"] == "MISS"


def test_signed_in_users_always_get_a_fresh_page(client, baker, bakery, baguette):
    cached(bakery.url)
    client.force_login(baker)

    response = client.get(bakery.url)

    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    # …and what they were shown is not kept for others.
    assert visitor().get(bakery.url).content != response.content


def test_a_visitor_with_a_message_to_see_gets_a_fresh_page(bakery, baguette):
    cached(bakery.url)
    resident = visitor()
    resident.post(ADD_URL, {"product": baguette.pk, "quantity": 1, "next": bakery.url})

    page = resident.get(bakery.url)

    assert "X-Cache" not in page
    assert "ajouté" in page.content.decode()
    # …and the message, shown, is not kept for the next visitor.
    assert "ajouté" not in visitor().get(bakery.url).content.decode()


def test_a_head_request_is_answered_from_the_cache(bakery):
    cached(bakery.url)

    assert visitor().head(bakery.url)["X-Cache"] == "HIT"


# Answered first (home.middleware.FrontPageCacheMiddleware) ----------------------------------

# What every answer has of its own.
OWN_HEADERS = {"X-Cache", "Date", "Set-Cookie"}


def kept_headers(response):
    return {name: value for name, value in response.items() if name not in OWN_HEADERS}


def with_session(bakery, baguette):
    """A resident with a request list: a session cookie, so not answered first."""
    resident = visitor()
    resident.post(ADD_URL, {"product": baguette.pk, "quantity": 1, "next": bakery.url})
    resident.get(bakery.url)  # sees the message "ajouté"
    return resident


def test_a_visitor_without_a_session_is_answered_before_any_other_middleware(bakery, baguette):
    miss = visitor().get(bakery.url)
    with CaptureQueriesContext(connection) as queries:
        hit = visitor().get(bakery.url)

    assert hit["X-Cache"] == "HIT" and hit.content == miss.content
    # Not routed, no user looked for, no query: the page and the generation are in the cache.
    assert hit.wsgi_request.resolver_match is None
    assert not hasattr(hit.wsgi_request, "user")
    assert len(queries) == 0
    # …with every header the other middleware gave the page when it was kept.
    assert kept_headers(hit) == kept_headers(miss)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Vary"):
        assert header in hit


def test_a_resident_with_a_session_gets_the_same_page_through_every_middleware(bakery, baguette):
    resident = with_session(bakery, baguette)
    first = visitor().get(bakery.url)

    hit = resident.get(bakery.url)

    assert hit["X-Cache"] == "HIT" and hit.content == first.content
    assert hit.wsgi_request.resolver_match is not None
    assert not hit.wsgi_request.user.is_authenticated
    assert kept_headers(hit) == kept_headers(first)


def test_a_forged_host_is_refused_not_answered_from_the_cache(bakery, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    cached(bakery.url)

    forged = Client(headers={"user-agent": BROWSER, "host": "portal.example"})

    assert forged.get(bakery.url).status_code == 400


def test_a_page_kept_for_https_is_not_served_over_http(bakery, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    host = {"user-agent": BROWSER, "host": "portal.example"}
    https = Client(headers={**host, "x-forwarded-proto": "https"})
    assert https.get(bakery.url)["X-Cache"] == "MISS"
    assert https.get(bakery.url)["X-Cache"] == "HIT"

    plain = Client(headers=host).get(bakery.url)

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_a_visitor_whose_message_cookie_waits_gets_a_fresh_page(bakery, baguette):
    cached(bakery.url)
    resident = visitor()
    resident.cookies["messages"] = "anything"

    page = resident.get(bakery.url)

    assert "X-Cache" not in page
    assert page.wsgi_request.resolver_match is not None


def test_search_is_cached_with_its_filters(bakery, baguette):
    assert "Baguette" in cached(reverse("search") + "?q=baguette")
    assert "Baguette" in cached(reverse("search") + "?q=baguette&service=pickup")


# Never stale: each change shows at once -----------------------------------------------------


def test_editing_and_publishing_a_shop_shows_at_once(bakery):
    assert "Pains au levain" not in cached(bakery.url)

    bakery.tagline = "Pains au levain"
    bakery.save_revision().publish()

    assert "Pains au levain" in fresh(bakery.url)


def test_a_draft_keeps_the_cached_page(bakery):
    cached(bakery.url)

    bakery.tagline = "Pains au levain"
    bakery.save_revision()

    assert visitor().get(bakery.url)["X-Cache"] == "HIT"


def test_saving_a_product_shows_at_once(bakery, baguette):
    assert "Baguette tradition" in cached(bakery.url)

    baguette.name = "Baguette de campagne"
    baguette.save()

    assert "Baguette de campagne" in fresh(bakery.url)
    assert "Baguette de campagne" in fresh(baguette.url)


def test_a_stock_click_shows_at_once(client, baker, bakery, baguette):
    assert add_form(baguette) in cached(bakery.url)
    builders.admin_login(client, baker)

    client.post(
        reverse("merchants_product_stock", args=[baguette.pk]), {"availability": "out_of_stock"}
    )

    assert add_form(baguette) not in fresh(bakery.url)


def test_a_bulk_action_shows_at_once(client, baker, bakery, baguette):
    assert add_form(baguette) in cached(bakery.url)
    builders.admin_login(client, baker)

    url = reverse("wagtail_bulk_action", args=["products", "product", "hide"])
    client.post(f"{url}?id={baguette.pk}", {})

    assert "Baguette tradition" not in fresh(bakery.url)


def test_pausing_requests_shows_at_once(client, baker, bakery, baguette):
    assert add_form(baguette) in cached(baguette.url)
    builders.admin_login(client, baker)

    until = timezone.localdate() + timedelta(days=10)
    client.post(
        reverse("merchants_pause_requests", args=[bakery.pk]),
        {f"pause-{bakery.pk}-until": until.isoformat(), f"pause-{bakery.pk}-reason": "Congés"},
    )

    assert add_form(baguette) not in fresh(baguette.url)


def test_a_settings_change_shows_at_once(home):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert "Valbourg-les-Bains" not in cached(home.url)

    portal.town_name = "Valbourg-les-Bains"
    portal.save()

    assert "Valbourg-les-Bains" in fresh(home.url)


def test_a_shop_made_private_leaves_the_cache_at_once(bakery):
    # The admin's "Privacy" control adds a view restriction: no page is published.
    assert "Boulangerie Dupont" in cached(bakery.url)

    restriction = PageViewRestriction.objects.create(
        page=bakery, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = visitor().get(bakery.url)
    assert response["X-Cache"] != "HIT"
    assert 'name="password"' in response.content.decode()
    assert "Boulangerie Dupont</h1>" not in response.content.decode()

    restriction.delete()
    assert "Boulangerie Dupont" in fresh(bakery.url)


def test_unpublishing_a_shop_shows_at_once(bakery, shop_index):
    assert "Boulangerie Dupont" in cached(shop_index.url)
    url = bakery.url

    bakery.unpublish()

    assert "Boulangerie Dupont" not in fresh(shop_index.url)
    assert visitor().get(url).status_code == 404


@pytest.mark.dated
def test_an_edit_of_hours_or_closures_shows_at_once(bakery):
    before = cached(bakery.url)

    today = timezone.localdate()
    builders.closure(bakery, today, today + timedelta(days=3), reason="Inventaire")
    closed = fresh(bakery.url)
    assert "Inventaire" in closed and "Inventaire" not in before

    bakery.opening_hours.all().delete()
    assert fresh(bakery.url) != closed


def test_a_catalogue_sync_shows_at_once(bakery):
    assert "Tarte aux pommes" not in cached(bakery.url)
    server = CatalogueServer()
    try:
        server.route("/products.json", body=(PAYLOADS / "shopify_products_page1.json").read_text())
        source = CatalogueSource.objects.create(
            shop=bakery, kind="shopify", url=server.url("/"), name="Ma boutique"
        )
        run = sync.run(source)
    finally:
        server.close()

    assert run.status == "success", run.message
    assert "Tarte aux pommes" in fresh(bakery.url)


# Opening hours: a page showing "open until" is kept until then at the latest ---------------


def test_a_page_showing_open_until_expires_when_the_shop_closes(bakery, shop_index, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    # Monday 14 June 2027, 12:29 in Brussels: the bakery closes at 12:30, opens at 14:00.
    with timetravel.travel("2027-06-14T10:29:00+00:00"):
        for url in (bakery.url, shop_index.url):
            cached(url)
    with timetravel.travel("2027-06-14T10:29:50+00:00"):
        assert visitor().get(bakery.url)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-14T10:30:01+00:00"):
        for url in (bakery.url, shop_index.url):
            assert visitor().get(url)["X-Cache"] == "MISS"
        assert visitor().get(bakery.url)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-14T11:59:30+00:00"):  # 13:59:30: still closed
        assert visitor().get(bakery.url)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-14T12:00:01+00:00"):  # 14:00:01: open again
        assert visitor().get(bakery.url)["X-Cache"] == "MISS"


def night_shop():
    """Open every evening from 20:00 to 02:30, past midnight."""
    shop = builders.shop("Le Noctambule", hours=None)
    for weekday in range(7):
        OpeningHours.objects.create(shop=shop, weekday=weekday, opens=time(20), closes=time(2, 30))
    return shop


def test_the_shops_open_now_are_kept_until_any_shop_opens_or_closes(bakery, baguette, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    search = reverse("search") + "?q=baguette&open_now=on"
    index = builders.shop_index().url + "?open_now=on"
    # Monday 14 June 2027, 12:29 in Brussels: the bakery closes at 12:30, opens at 14:00.
    with timetravel.travel("2027-06-14T10:29:00+00:00"):
        assert "1 résultat" in cached(search)
        assert "Boulangerie Dupont" in cached(index)
    with timetravel.travel("2027-06-14T10:29:50+00:00"):
        assert visitor().get(search)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-14T10:30:01+00:00"):
        assert "Rien trouvé" in fresh(search)
        assert "Boulangerie Dupont" not in fresh(index)
    with timetravel.travel("2027-06-14T11:59:30+00:00"):  # 13:59:30: every shop still closed
        assert visitor().get(index)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-14T12:00:01+00:00"):  # 14:00:01: the bakery opens
        assert "Boulangerie Dupont" in fresh(index)


def test_a_shop_open_past_midnight_expires_the_shops_open_now_when_it_closes(bakery, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    night_shop()
    index = builders.shop_index().url + "?open_now=on"
    # Tuesday 15 June 2027, 01:00 in Brussels: Monday evening's range closes at 02:30.
    with timetravel.travel("2027-06-14T23:00:00+00:00"):
        assert "Le Noctambule" in cached(index)
    with timetravel.travel("2027-06-15T00:29:30+00:00"):
        assert visitor().get(index)["X-Cache"] == "HIT"
    with timetravel.travel("2027-06-15T00:30:01+00:00"):
        assert "Le Noctambule" not in fresh(index)


def test_on_the_spring_night_a_closing_in_the_skipped_hour_expires_at_the_jump(db, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    night_shop()
    index = builders.shop_index().url + "?open_now=on"
    # Sunday 28 March 2027: 02:30 does not exist in Brussels, the shop closes at the jump to
    # 03:00, which is 01:00 UTC.
    with timetravel.travel("2027-03-28T00:30:00+00:00"):  # 01:30 CET
        assert "Le Noctambule" in cached(index)
    with timetravel.travel("2027-03-28T00:59:30+00:00"):
        assert visitor().get(index)["X-Cache"] == "HIT"
    with timetravel.travel("2027-03-28T01:00:30+00:00"):  # 03:00:30 CEST
        assert "Le Noctambule" not in fresh(index)


def test_in_the_hour_the_autumn_night_repeats_the_shops_open_now_are_not_kept(db, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 24 * 3600
    night_shop()
    index = builders.shop_index().url + "?open_now=on"
    # Sunday 31 October 2027, 02:15 for the second time (01:15 UTC): the shop closed at
    # 02:30 on the first pass; which closing the clock shows is not worth a guess.
    with timetravel.travel("2027-10-31T01:15:00+00:00"):
        assert visitor().get(index)["X-Cache"] == "BYPASS"
    # The first pass, at 02:15 CEST (00:15 UTC): kept until 02:30 CEST.
    with timetravel.travel("2027-10-31T00:15:00+00:00"):
        cached(index)
    with timetravel.travel("2027-10-31T00:30:30+00:00"):
        assert visitor().get(index)["X-Cache"] == "MISS"


# Per-visitor parts -------------------------------------------------------------------------


def add_from_cached_page(client, page_url, product, quantity=1):
    """What the page's script and a click on "Ajouter" do, CSRF checked."""
    page = client.get(page_url)
    assert page["X-Cache"] == "HIT"
    token = client.get(VISITOR_URL).json()["csrf_token"]
    return client.post(
        ADD_URL,
        {
            "product": product.pk,
            "quantity": quantity,
            "next": page_url,
            "csrfmiddlewaretoken": token,
        },
        follow=True,
    )


def test_two_visitors_get_their_own_counters_from_one_cached_page(bakery, baguette):
    croissant = builders.product(bakery, "Croissant")
    cached(bakery.url)
    one = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    two = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    add_from_cached_page(one, bakery.url, baguette)
    add_from_cached_page(two, bakery.url, baguette)
    add_from_cached_page(two, bakery.url, croissant, quantity=2)

    pages = [client.get(bakery.url) for client in (one, two)]

    assert [page["X-Cache"] for page in pages] == ["HIT", "HIT"]
    assert pages[0].content == pages[1].content
    assert one.get(VISITOR_URL).json()["count"] == 1
    assert two.get(VISITOR_URL).json()["count"] == 3


def test_adding_from_a_cached_page_passes_the_csrf_check(bakery, baguette):
    cached(bakery.url)
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})

    response = add_from_cached_page(resident, bakery.url, baguette)

    assert response.status_code == 200
    assert resident.get(VISITOR_URL).json()["count"] == 1


def test_adding_without_the_token_is_refused(bakery, baguette):
    """Without JavaScript the page's form has no token: the CSRF check refuses it, and
    asks the resident to confirm (below)."""
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    resident.get(bakery.url)

    response = resident.post(ADD_URL, {"product": baguette.pk, "quantity": 1})

    assert response.status_code == 403
    assert "Le formulaire n’a pas pu être envoyé" in response.content.decode()
    assert "confirmez que vous avez bien envoyé" in response.content.decode()


def test_without_javascript_adding_takes_one_click_more_and_works(bakery, baguette):
    """The refused form is shown again with a fresh token: the resident confirms it."""
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    resident.get(bakery.url)
    refused = resident.post(ADD_URL, {"product": baguette.pk, "quantity": 2})
    form = confirmation_fields(refused.content.decode())

    confirmed = resident.post(ADD_URL, form)

    assert refused.status_code == 403 and form["product"] == str(baguette.pk)
    assert form["quantity"] == "2" and form["csrfmiddlewaretoken"]
    assert confirmed.status_code == 302
    assert resident.get(VISITOR_URL).json()["count"] == 2


def test_other_refused_forms_are_not_offered_again(client, bakery):
    resident = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})

    refused = resident.post("/ma-demande/verifier/", {"idempotency_key": "x" * 32})

    assert refused.status_code == 403
    assert "idempotency_key" not in refused.content.decode()
    assert "JavaScript" in refused.content.decode()


def confirmation_fields(page):
    """The fields of the confirmation form of the CSRF page, as a browser posts them."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def test_the_visitors_part_is_never_cached_and_writes_nothing(bakery, baguette):
    resident = Client(headers={"user-agent": BROWSER})
    with CaptureQueriesContext(connection) as queries:
        response = resident.get(VISITOR_URL)

    assert response.json()["count"] == 0
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "csrftoken" in response.cookies
    assert not Session.objects.exists()
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


# Counting ----------------------------------------------------------------------------------


def test_a_view_served_from_the_cache_is_counted(bakery, baguette):
    counting.clear()
    cached(baguette.url)  # a miss, then a hit

    views = {key: n for key, n in counting.pending().items() if key[1] == Event.VIEW.value}
    assert list(views.values()) == [2]
    assert next(iter(views))[2:] == (bakery.pk, None, baguette.slug)
    counting.clear()
