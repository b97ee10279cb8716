"""The calendar's public pages: the events page, the home page's block, a shop's events and
an event's page with its schema.org Event."""

import json
import re
from datetime import date, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import PER_PAGE
from tests import builders as town
from tests import timetravel

from . import builders

pytestmark = pytest.mark.django_db

# Wednesday 20 October 2027, noon in Brussels: the market's next Saturdays are the 23rd
# and the 30th (summer time), then 6 November (winter time).
BEFORE_THE_CHANGE = "2027-10-20T10:00:00+00:00"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def visitor():
    return Client(headers={"user-agent": BROWSER})


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def json_ld(response, kind):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [data for data in map(json.loads, blocks) if data["@type"] == kind]


def test_the_events_page_lists_each_date_in_the_towns_time_and_skips_the_exceptions(client):
    with timetravel.travel(BEFORE_THE_CHANGE):
        builders.saturday_market(exceptions=[date(2027, 10, 30)])
        page = text(client.get(builders.calendar().url))
    assert '<time datetime="2027-10-23T08:00:00+02:00">Samedi 23 octobre 2027, 08:00' in page
    assert "30 octobre" not in page
    assert '<time datetime="2027-11-06T08:00:00+01:00">Samedi 6 novembre 2027, 08:00' in page
    assert "Grand-Place · Tous les samedis" in page


def test_an_ended_occurrence_leaves_the_cached_events_page():
    # Saturday 23 October 2027, 12:55 in Brussels: the market is under way until 13:00.
    with timetravel.travel("2027-10-23T10:55:00+00:00"):
        builders.saturday_market()
        url = builders.calendar().url
        visitor().get(url)  # the first visit of the site writes its settings, which purges
        assert "2027-10-23T08:00:00" in text(visitor().get(url))
        assert visitor().get(url)["X-Cache"] == "HIT"  # kept, until…
    with timetravel.travel("2027-10-23T11:01:00+00:00"):  # 13:01, within the cache's time
        page = text(visitor().get(url))
    assert "2027-10-23T08:00:00" not in page
    assert "2027-10-30T08:00:00" in page


def test_the_events_page_is_paginated(client):
    with timetravel.travel(BEFORE_THE_CHANGE):
        builders.event("Marché quotidien", start_date=date(2027, 10, 21), repeat="daily")
        first = text(client.get(builders.calendar().url))
        second = text(client.get(builders.calendar().url + "?page=2"))
    assert first.count('class="card card--event"') == PER_PAGE
    assert "Jeudi 21 octobre 2027" in first
    assert f"{21 + PER_PAGE} octobre" not in first.replace("2027-10", "")
    assert "10 novembre 2027" in second


@pytest.mark.parametrize("after_purge", [False, True], ids=["kept", "after-purge"])
def test_the_events_page_reads_as_many_rows_for_many_events(client, settings, after_purge):
    from home import page_cache

    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # count a page rendered, not one served

    def queries(count):
        for _ in range(count):
            builders.saturday_market(
                title=f"Marché {town.shop().pk}",
                banner=town.make_image("Marché"),  # each its own photo
                banner_alt="Les étals",
                exceptions=[date(2027, 10, 30)],
                shops=[town.shop(), town.shop()],
            )
        url = builders.calendar().url
        assert client.get(url).status_code == 200  # warm-up
        if after_purge:
            page_cache.purge()
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    with timetravel.travel(BEFORE_THE_CHANGE):
        with_two = queries(2)
        with_twenty = queries(18)
    assert with_two == with_twenty


@pytest.mark.parametrize("where", ["home", "shop"])
def test_the_home_and_shop_pages_read_as_many_rows_for_many_events(client, settings, where):
    from home import page_cache

    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # count a page rendered, not one served
    bakery = town.shop()
    url = "/" if where == "home" else bakery.url

    def queries(count):
        for _ in range(count):
            builders.saturday_market(
                title=f"Marché {town.shop().pk}", exceptions=[date(2027, 10, 30)], shops=[bakery]
            )
        assert client.get(url).status_code == 200  # warm-up
        page_cache.purge()  # the block is kept with the page: count it rendered
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    with timetravel.travel(BEFORE_THE_CHANGE):
        assert queries(2) == queries(10)


def test_the_home_page_shows_the_coming_events_once_each(client, home):
    with timetravel.travel(BEFORE_THE_CHANGE):
        builders.saturday_market()
        builders.event("Brocante", start_date=date(2027, 10, 24), start_time=time(7))
        builders.event("Fini", start_date=date(2027, 10, 1))
        page = text(client.get("/"))
    block = page.split('id="coming-events-title"')[1].split("</section>")[0]
    assert block.index("Marché du samedi") < block.index("Brocante")
    assert block.count("Marché du samedi") == 1
    assert "Fini" not in block
    assert f'href="{builders.calendar().url}"' in block


def test_the_home_page_has_no_events_block_without_events(client, home):
    assert "coming-events-title" not in text(client.get("/"))


def test_a_shop_page_shows_the_events_it_takes_part_in(client, bakery, flower_shop):
    with timetravel.travel(BEFORE_THE_CHANGE):
        builders.saturday_market(shops=[bakery])
        builders.event("Fête des fleurs", start_date=date(2027, 11, 1), shops=[flower_shop])
        bakery_page = text(client.get(bakery.url))
        florist_page = text(client.get(flower_shop.url))
    assert "Marché du samedi" in bakery_page
    assert "Fête des fleurs" not in bakery_page
    assert "Fête des fleurs" in florist_page


def test_an_event_page_describes_the_event_for_search_engines(client, bakery):
    with timetravel.travel(BEFORE_THE_CHANGE):
        market = builders.saturday_market(
            exceptions=[date(2027, 10, 30)],
            intro="Producteurs locaux.",
            address="Grand-Place, 7000 Valbourg",
            latitude="50.454100",
            longitude="3.952300",
            shops=[bakery],
        )
        response = client.get(market.url)
    page = text(response)
    [event] = json_ld(response, "Event")
    # The next occurrence, in the town's time with its offset.
    assert event["startDate"] == "2027-10-23T08:00:00+02:00"
    assert event["endDate"] == "2027-10-23T13:00:00+02:00"
    assert event["location"]["name"] == "Grand-Place"
    assert event["location"]["geo"]["latitude"] == pytest.approx(50.4541)
    assert event["description"] == "Producteurs locaux."
    assert event["eventSchedule"] == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": "https://schema.org/Saturday",
        "startDate": "2027-10-02",
        "startTime": "08:00",
        "endTime": "13:00",
        "exceptDate": ["2027-10-30"],
        "scheduleTimezone": "Europe/Brussels",
    }
    assert f'href="/calendrier/evenement-{market.pk}.ics"' in page
    assert f'href="{bakery.url}"' in page


def test_an_event_over_is_still_described_at_its_date(client):
    with timetravel.travel(BEFORE_THE_CHANGE):
        over = builders.event("Fini", start_date=date(2027, 10, 1))
        response = client.get(over.url)
    [event] = json_ld(response, "Event")
    assert event["startDate"] == "2027-10-01T08:00:00+02:00"
    assert "eventSchedule" not in event
