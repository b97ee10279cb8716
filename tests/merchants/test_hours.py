"""Opening hours: the Python rule (hours.shop_status) and the database filter (open_at) agree.

Hours are wall-clock times in Europe/Brussels. The week of 2 March 2026 (Monday) is in
winter time (UTC+1); 29 March and 25 October 2026 are the daylight-saving change days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from merchants.hours import (
    ClosurePeriod,
    HoursRange,
    ShopStatus,
    first_whole_day_open,
    instant,
    ready_time,
    shop_status,
)
from merchants.models import Closure, MerchantPage, OpeningHours
from tests import builders

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = ZoneInfo("UTC")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def clock(text):
    return time.fromisoformat(text)


def local(*args):
    """An aware datetime given as Brussels wall-clock time."""
    return datetime(*args, tzinfo=BRUSSELS)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def ranges(*rows):
    return [HoursRange(weekday, clock(opens), clock(closes)) for weekday, opens, closes in rows]


def closures(*rows):
    return [ClosurePeriod(*row) for row in rows]


SPLIT_WEEK = ranges(
    *[(day, "09:00", "12:30") for day in range(SAT + 1)],
    *[(day, "14:00", "18:30") for day in range(SAT + 1)],
)
FRIDAY_NIGHT = ranges((FRI, "18:00", "01:00"))
# One evening entered as two rows: Friday 22:00–24:00 and Saturday 00:00–02:00.
MIDNIGHT_SPLIT = ranges((FRI, "22:00", "00:00"), (SAT, "00:00", "02:00"))
SUNDAY_MORNING = ranges((SUN, "06:00", "13:00"))
SATURDAY_NIGHT = ranges((SAT, "22:00", "02:00"))
# Ranges that meet the hour the spring night skips and the autumn night repeats.
NIGHT_TO_HALF_PAST_TWO = ranges((SAT, "21:00", "02:30"))
SUNDAY_FROM_HALF_PAST_TWO = ranges((SUN, "02:30", "09:00"))
SUNDAY_QUARTER_PAST_TWO = ranges((SUN, "02:15", "02:45"), (SUN, "10:00", "12:00"))
HOLIDAYS = closures((date(2025, 12, 24), date(2026, 1, 3), "holidays"))


@dataclass
class Case:
    ranges: list
    closures: list
    now: datetime
    is_open: bool


CASES = {
    "split-open-in-the-morning": Case(SPLIT_WEEK, [], local(2026, 3, 3, 10, 0), True),
    "split-closed-at-lunch": Case(SPLIT_WEEK, [], local(2026, 3, 3, 13, 0), False),
    "split-open-on-the-minute-it-reopens": Case(SPLIT_WEEK, [], local(2026, 3, 3, 14, 0), True),
    "split-closed-on-the-minute-it-closes": Case(SPLIT_WEEK, [], local(2026, 3, 3, 18, 30), False),
    "split-closed-in-the-evening": Case(SPLIT_WEEK, [], local(2026, 3, 3, 19, 0), False),
    "split-closed-on-sunday": Case(SPLIT_WEEK, [], local(2026, 3, 8, 10, 0), False),
    "night-closed-before-it-opens": Case(FRIDAY_NIGHT, [], local(2026, 3, 6, 17, 59), False),
    "night-open-on-friday-evening": Case(FRIDAY_NIGHT, [], local(2026, 3, 6, 23, 0), True),
    "night-open-after-midnight": Case(FRIDAY_NIGHT, [], local(2026, 3, 7, 0, 30), True),
    "night-closed-after-its-tail": Case(FRIDAY_NIGHT, [], local(2026, 3, 7, 1, 30), False),
    "midnight-split-open-at-midnight": Case(MIDNIGHT_SPLIT, [], local(2026, 3, 7, 0, 0), True),
    "midnight-split-open-at-one": Case(MIDNIGHT_SPLIT, [], local(2026, 3, 7, 1, 0), True),
    "midnight-split-closed-at-two": Case(MIDNIGHT_SPLIT, [], local(2026, 3, 7, 2, 0), False),
    "closure-closed-during-holidays": Case(SPLIT_WEEK, HOLIDAYS, local(2025, 12, 30, 10, 0), False),
    "closure-closed-on-its-last-day": Case(SPLIT_WEEK, HOLIDAYS, local(2026, 1, 3, 10, 0), False),
    "closure-open-again-after": Case(SPLIT_WEEK, HOLIDAYS, local(2026, 1, 5, 10, 0), True),
    # The tail after midnight belongs to the evening it started: closing Friday closes it.
    "night-tail-closed-when-its-evening-is-closed": Case(
        FRIDAY_NIGHT,
        closures((date(2026, 3, 6), date(2026, 3, 6), "")),
        local(2026, 3, 7, 0, 30),
        False,
    ),
    # ...and closing Saturday does not cut Friday's night short.
    "night-tail-open-when-only-the-next-day-is-closed": Case(
        FRIDAY_NIGHT,
        closures((date(2026, 3, 7), date(2026, 3, 7), "")),
        local(2026, 3, 7, 0, 30),
        True,
    ),
    "no-hours-never-open": Case([], [], local(2026, 3, 3, 10, 0), False),
    # 29 March 2026: 02:00 CET becomes 03:00 CEST (UTC+2 from 01:00 UTC).
    "spring-sunday-closed-at-0530-cest": Case(SUNDAY_MORNING, [], utc(2026, 3, 29, 3, 30), False),
    "spring-sunday-open-at-0630-cest": Case(SUNDAY_MORNING, [], utc(2026, 3, 29, 4, 30), True),
    "spring-night-open-at-0130-cet": Case(SATURDAY_NIGHT, [], utc(2026, 3, 29, 0, 30), True),
    "spring-night-closed-at-0300-cest": Case(SATURDAY_NIGHT, [], utc(2026, 3, 29, 1, 0), False),
    "spring-night-closed-at-0330-cest": Case(SATURDAY_NIGHT, [], utc(2026, 3, 29, 1, 30), False),
    # 25 October 2026: 03:00 CEST becomes 02:00 CET (UTC+1 from 01:00 UTC).
    "autumn-sunday-closed-at-0530-cet": Case(SUNDAY_MORNING, [], utc(2026, 10, 25, 4, 30), False),
    "autumn-sunday-open-at-0630-cet": Case(SUNDAY_MORNING, [], utc(2026, 10, 25, 5, 30), True),
    "autumn-night-open-at-2230-cest": Case(SATURDAY_NIGHT, [], utc(2026, 10, 24, 20, 30), True),
    "autumn-night-open-at-0130-cest": Case(SATURDAY_NIGHT, [], utc(2026, 10, 24, 23, 30), True),
    "autumn-night-closed-at-0230-cest": Case(SATURDAY_NIGHT, [], utc(2026, 10, 25, 0, 30), False),
    # Hours inside the skipped hour start at the jump (03:00 CEST).
    "spring-opening-at-0230-closed-at-0159-cet": Case(
        SUNDAY_FROM_HALF_PAST_TWO, [], utc(2026, 3, 29, 0, 59), False
    ),
    "spring-opening-at-0230-open-at-the-jump": Case(
        SUNDAY_FROM_HALF_PAST_TWO, [], utc(2026, 3, 29, 1, 0), True
    ),
    "spring-closing-at-0230-open-at-0159-cet": Case(
        NIGHT_TO_HALF_PAST_TWO, [], utc(2026, 3, 29, 0, 59), True
    ),
    "spring-closing-at-0230-closed-at-the-jump": Case(
        NIGHT_TO_HALF_PAST_TWO, [], utc(2026, 3, 29, 1, 0), False
    ),
    "spring-range-inside-the-skipped-hour-never-opens": Case(
        SUNDAY_QUARTER_PAST_TWO, [], utc(2026, 3, 29, 1, 20), False
    ),
    # The repeated hour: what closes in it closes on the first pass, for good.
    "autumn-closing-at-0230-open-on-the-first-0215": Case(
        NIGHT_TO_HALF_PAST_TWO, [], utc(2026, 10, 25, 0, 15), True
    ),
    "autumn-closing-at-0230-closed-on-the-second-0215": Case(
        NIGHT_TO_HALF_PAST_TWO, [], utc(2026, 10, 25, 1, 15), False
    ),
    "autumn-range-in-the-repeated-hour-open-on-the-first-0230": Case(
        SUNDAY_QUARTER_PAST_TWO, [], utc(2026, 10, 25, 0, 30), True
    ),
    "autumn-range-in-the-repeated-hour-closed-on-the-second-0230": Case(
        SUNDAY_QUARTER_PAST_TWO, [], utc(2026, 10, 25, 1, 30), False
    ),
    "autumn-opening-at-0230-open-on-the-second-0215": Case(
        SUNDAY_FROM_HALF_PAST_TWO, [], utc(2026, 10, 25, 1, 15), True
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_shop_status_says_whether_the_shop_is_open(case):
    assert shop_status(case.ranges, case.closures, case.now).is_open is case.is_open


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_open_at_filter_agrees_with_shop_status(case):
    shop = builders.shop(hours=None)
    for hours in case.ranges:
        OpeningHours.objects.create(
            shop=shop, weekday=hours.weekday, opens=hours.opens, closes=hours.closes
        )
    for period in case.closures:
        builders.closure(shop, period.starts_on, period.ends_on, period.reason)
    shop = MerchantPage.objects.get(pk=shop.pk)

    in_filter = MerchantPage.objects.open_at(case.now).filter(pk=shop.pk).exists()

    assert shop.status(case.now).is_open is case.is_open
    assert in_filter is case.is_open


@pytest.mark.django_db
def test_open_at_lists_only_the_shops_open_at_that_moment():
    day_shop = builders.shop()  # Monday to Saturday, 9:00–12:30 and 14:00–18:30
    night_shop = builders.shop(hours=None)
    OpeningHours.objects.create(
        shop=night_shop, weekday=FRI, opens=clock("18:00"), closes=clock("01:00")
    )
    closed_shop = builders.shop()
    Closure.objects.create(shop=closed_shop, starts_on=date(2026, 3, 6), ends_on=date(2026, 3, 6))

    friday_morning = MerchantPage.objects.open_at(local(2026, 3, 6, 10, 0))
    saturday_night = MerchantPage.objects.open_at(local(2026, 3, 7, 0, 30))

    assert set(friday_morning) == {day_shop}
    assert set(saturday_night) == {night_shop}


# Texts -----------------------------------------------------------------------------------


def status_en(hours, now, periods=()):
    with translation.override("en"):
        status = shop_status(hours, periods, now)
        return status, status.headline, status.detail


def test_split_hours_in_the_morning_close_at_half_past_twelve():
    status, headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 3, 10, 0))

    assert status.closes_at == datetime(2026, 3, 3, 12, 30)
    assert headline == "Open until 12:30"
    assert detail == "Open now, closes at 12:30"


def test_split_hours_at_lunch_say_when_the_shop_reopens():
    status, headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 3, 13, 0))

    assert status.state == ShopStatus.CLOSED
    assert headline == "Opens at 14:00"
    assert detail == "Closed now, opens at 14:00"


def test_split_hours_in_the_evening_point_to_tomorrow_morning():
    status, headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 3, 19, 0))

    assert status.opens_at == datetime(2026, 3, 4, 9, 0)
    assert headline == "Closed"
    assert detail == "Closed, opens tomorrow at 09:00"


def test_saturday_evening_points_to_monday_not_sunday():
    status, _headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 7, 19, 0))

    assert status.opens_at == datetime(2026, 3, 9, 9, 0)
    assert detail == "Closed, opens Monday at 09:00"


def test_weekday_without_hours_reads_closed_today():
    status, headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 8, 10, 0))

    assert status.open_today is False
    assert headline == "Closed today"
    assert detail == "Closed today, opens tomorrow at 09:00"


def test_night_hours_keep_the_shop_open_after_midnight_until_closing():
    status, headline, _detail = status_en(FRIDAY_NIGHT, local(2026, 3, 7, 0, 30))

    assert status.closes_at == datetime(2026, 3, 7, 1, 0)
    assert headline == "Open until 01:00"


def test_after_the_night_tail_the_next_opening_is_next_friday():
    status, headline, detail = status_en(FRIDAY_NIGHT, local(2026, 3, 7, 1, 30))

    assert status.opens_at == datetime(2026, 3, 13, 18, 0)
    assert headline == "Closed today"
    assert detail == "Closed today, opens Friday at 18:00"


def test_ranges_meeting_at_midnight_close_at_the_end_of_the_second():
    status, headline, detail = status_en(MIDNIGHT_SPLIT, local(2026, 3, 6, 23, 0))

    # Not "until 00:00": 22:00–24:00 and 00:00–02:00 are one evening.
    assert status.closes_at == datetime(2026, 3, 7, 2, 0)
    assert headline == "Open until 02:00"
    assert detail == "Open now, closes tomorrow at 02:00"


def test_ranges_meeting_at_midnight_do_not_merge_into_a_closed_day():
    saturday_closed = closures((date(2026, 3, 7), date(2026, 3, 7), ""))

    status, headline, _detail = status_en(MIDNIGHT_SPLIT, local(2026, 3, 6, 23, 0), saturday_closed)

    assert status.closes_at == datetime(2026, 3, 7, 0, 0)
    assert headline == "Open until 00:00"


def test_closure_names_its_end_date_and_reason():
    status, headline, detail = status_en(SPLIT_WEEK, local(2025, 12, 30, 10, 0), HOLIDAYS)

    assert status.closure == HOLIDAYS[0]
    assert headline == "Closed until 3 January (holidays)"
    # 3 January 2026 is a Saturday; the shop reopens on Monday the 5th.
    assert detail == "Closed until 3 January (holidays) · opens Monday at 09:00"


def test_closure_without_reason_names_only_its_end_date():
    period = closures((date(2025, 12, 24), date(2026, 1, 3), ""))

    _status, headline, _detail = status_en(SPLIT_WEEK, local(2025, 12, 30, 10, 0), period)

    assert headline == "Closed until 3 January"


def test_closure_in_french_names_the_month_in_french():
    with translation.override("fr"):
        headline = shop_status(SPLIT_WEEK, HOLIDAYS, local(2025, 12, 30, 10, 0)).headline
        expected_date = date_format(date(2026, 1, 3), "j F")

    assert expected_date == "3 janvier"
    assert "3 janvier" in headline
    assert "January" not in headline


def test_closure_longer_than_the_lookahead_shows_only_the_closure():
    long_closure = closures((date(2026, 3, 1), date(2026, 4, 30), "travaux"))

    status, _headline, detail = status_en(SPLIT_WEEK, local(2026, 3, 3, 10, 0), long_closure)

    assert status.opens_at is None
    assert detail == "Closed until 30 April (travaux)"


def test_shop_without_hours_has_an_unknown_status():
    status, headline, detail = status_en([], local(2026, 3, 3, 10, 0))

    assert status.state == ShopStatus.UNKNOWN
    assert status.is_open is False
    assert headline == detail == "Opening hours not given"


def test_spring_forward_reads_the_brussels_wall_clock():
    status, headline, _detail = status_en(SUNDAY_MORNING, utc(2026, 3, 29, 3, 30))

    assert status.now == datetime(2026, 3, 29, 5, 30)  # CEST, UTC+2
    assert headline == "Opens at 06:00"


def test_night_shop_on_spring_forward_night_closes_when_the_clock_jumps():
    status, headline, _detail = status_en(SATURDAY_NIGHT, utc(2026, 3, 29, 0, 30))

    assert status.now == datetime(2026, 3, 29, 1, 30)  # still CET, UTC+1
    # 02:00 CET never shows that night: the clock reads 03:00 CEST when the shop closes.
    assert headline == "Open until 03:00"


def test_fall_back_reads_the_brussels_wall_clock():
    status, headline, _detail = status_en(SUNDAY_MORNING, utc(2026, 10, 25, 5, 30))

    assert status.now == datetime(2026, 10, 25, 6, 30)  # CET again, UTC+1
    assert headline == "Open until 13:00"


@pytest.mark.django_db
def test_weekly_hours_table_runs_monday_to_sunday_and_marks_today(bakery):
    table = bakery.weekly_hours(today=date(2026, 3, 4))  # a Wednesday
    assert [len(ranges) for _day, ranges, _today in table] == [2, 2, 2, 2, 2, 2, 0]
    assert [is_today for _day, _ranges, is_today in table] == [
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]


# At whatever moment the suite runs --------------------------------------------------------

# Hours that meet the calendar's edges: a range inside the hour that does not exist on the
# spring night (02:00–03:00) and that happens twice on the autumn night, ranges that start
# or end in it, a night across midnight, and every hour of every day.
ALL_DAY = (("00:00", "12:00"), ("12:00", "00:00"))
EDGE_HOURS = {
    "inside-the-missing-hour": [(day, "02:15", "02:45") for day in range(7)],
    "opens-in-the-missing-hour": [(day, "02:30", "09:00") for day in range(7)],
    "closes-in-the-missing-hour": [(day, "21:00", "02:30") for day in range(7)],
    "all-night": [(day, "20:00", "06:00") for day in range(7)],
    "day-only": [(day, "09:00", "18:00") for day in range(7)],
    # 12:00–00:00 ends at the next midnight: together, every hour of every day.
    "always": [(day, opens, closes) for day in range(7) for opens, closes in ALL_DAY],
}


@pytest.mark.dated
@pytest.mark.django_db
def test_python_rule_database_filter_and_shop_index_agree_at_this_moment(client, moment):
    """Run at each moment of the calendar sweep: the three ways of asking "open now?" give
    one answer, and the texts name times still to come, on the town's calendar day."""
    from django.utils import timezone

    shops = {}
    for name, rows in EDGE_HOURS.items():
        shop = builders.shop(name.replace("-", " ").capitalize(), hours=None)
        for weekday, opens, closes in rows:
            OpeningHours.objects.create(
                shop=shop, weekday=weekday, opens=clock(opens), closes=clock(closes)
            )
        shops[name] = shop
    # Closed for the town's today only: on New Year's night, that is 1 January already.
    closed_today = builders.shop("Closed today", hours=None)
    for weekday in range(7):
        for opens, closes in ALL_DAY:
            OpeningHours.objects.create(
                shop=closed_today, weekday=weekday, opens=clock(opens), closes=clock(closes)
            )
    today = timezone.localdate()
    builders.closure(closed_today, today, today, "inventaire")

    now = timezone.now()
    in_filter = set(MerchantPage.objects.open_at(now).values_list("pk", flat=True))
    listed = client.get(builders.shop_index().url, {"open_now": "on"}).context["shops"]

    for name, shop in shops.items():
        status = MerchantPage.objects.get(pk=shop.pk).status(now)
        assert status.now.date() == today, name
        assert (shop.pk in in_filter) is status.is_open, name
        announced = status.closes_at if status.is_open else status.opens_at
        if announced is not None:
            # A time still to come, and one the clock will show (never 02:30 on the
            # spring night).
            assert instant(announced) > now, name
            assert timezone.localtime(instant(announced)).replace(tzinfo=None) == announced, name
        assert status.headline and status.detail, name
    assert MerchantPage.objects.get(pk=shops["always"].pk).status(now).is_open
    assert {shop.pk for shop in listed} == in_filter
    status = MerchantPage.objects.get(pk=closed_today.pk).status(now)
    assert not status.is_open
    assert "inventaire" in status.headline
    assert closed_today.pk not in in_filter


def test_a_closing_time_the_spring_night_skips_is_announced_as_the_jump():
    status, headline, _detail = status_en(NIGHT_TO_HALF_PAST_TWO, utc(2026, 3, 29, 0, 30))

    assert status.is_open
    assert headline == "Open until 03:00"


def test_a_range_inside_the_skipped_hour_is_not_announced_that_night():
    status, _headline, _detail = status_en(SUNDAY_QUARTER_PAST_TWO, utc(2026, 3, 29, 0, 30))

    assert status.opens_at == datetime(2026, 3, 29, 10, 0)


# A whole day open since a moment (request expiry) and the ready time (accepting) ----------

BAKERY_WEEK = [
    HoursRange(day, opens, closes)
    for day in (MON, TUE, WED, THU, FRI, SAT)
    for opens, closes in ((clock("09:00"), clock("12:30")), (clock("14:00"), clock("18:30")))
]
# Open on Saturday nights only, past midnight: 28 March 2027 is the night the clock jumps.
SATURDAY_NIGHTS = [HoursRange(SAT, clock("22:00"), clock("04:00"))]


def test_a_whole_day_open_is_the_first_day_all_of_whose_hours_come_after():
    # Sent on Monday 2 March 2026 at 10:00, during Monday's hours: Tuesday is the whole day.
    assert first_whole_day_open(BAKERY_WEEK, [], local(2026, 3, 2, 10)) == local(2026, 3, 3, 18, 30)
    # Sent before Monday's opening: Monday counts.
    assert first_whole_day_open(BAKERY_WEEK, [], local(2026, 3, 2, 8)) == local(2026, 3, 2, 18, 30)
    # Sent on Saturday evening: Sunday is closed, Monday is the whole day.
    assert first_whole_day_open(BAKERY_WEEK, [], local(2026, 3, 7, 19)) == local(2026, 3, 9, 18, 30)


def test_a_closure_skips_its_days_and_no_hours_means_no_whole_day():
    closed = [ClosurePeriod(date(2026, 3, 3), date(2026, 3, 20))]  # Tuesday to Friday week 3
    assert first_whole_day_open(BAKERY_WEEK, closed, local(2026, 3, 2, 10)) == local(
        2026, 3, 21, 18, 30
    )
    assert first_whole_day_open([], [], local(2026, 3, 2, 10)) is None


def test_a_whole_night_open_over_the_spring_change_ends_on_the_new_clock():
    # Saturday 27 March 2027, 22:00 CET to Sunday 04:00 CEST: five hours in all.
    end = first_whole_day_open(SATURDAY_NIGHTS, [], local(2027, 3, 26, 12))
    assert end == local(2027, 3, 28, 4)
    assert end.astimezone(UTC) == datetime(2027, 3, 28, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "preparation", "ready"),
    [
        # Within the hours: now plus the preparation time.
        (local(2026, 3, 2, 9, 30), 2, local(2026, 3, 2, 11, 30)),
        # Closing at 18:30, 17:30 now, two hours: the next day's opening plus two hours.
        (local(2026, 3, 2, 17, 30), 2, local(2026, 3, 3, 11)),
        # Over the lunch break: the afternoon's opening plus two hours.
        (local(2026, 3, 2, 11, 30), 2, local(2026, 3, 2, 16)),
        # Saturday evening: Sunday is closed, Monday's opening plus two hours.
        (local(2026, 3, 7, 17, 45), 2, local(2026, 3, 9, 11)),
        # Before the opening, ready when it opens.
        (local(2026, 3, 2, 7), 2, local(2026, 3, 2, 9)),
    ],
)
def test_the_ready_time_is_now_plus_the_preparation_within_the_hours(now, preparation, ready):
    assert ready_time(BAKERY_WEEK, [], now, timedelta(hours=preparation)) == ready


def test_the_ready_time_skips_a_closure():
    closed = [ClosurePeriod(date(2026, 3, 3), date(2026, 3, 5))]
    assert ready_time(BAKERY_WEEK, closed, local(2026, 3, 2, 18), timedelta(hours=2)) == local(
        2026, 3, 6, 11
    )


def test_the_ready_time_on_the_spring_night_counts_real_hours():
    # 01:30 CET, one hour of work: 03:30 CEST, as the clock jumped at 02:00 (not 02:30).
    now = local(2027, 3, 28, 1, 30)
    assert ready_time(SATURDAY_NIGHTS, [], now, timedelta(hours=1)) == datetime(
        2027, 3, 28, 1, 30, tzinfo=UTC
    )
    # Three hours would pass the 04:00 closing: the next Saturday night's opening plus three.
    assert ready_time(SATURDAY_NIGHTS, [], now, timedelta(hours=3)) == local(2027, 4, 4, 1)


def test_without_hours_the_ready_time_is_now_plus_the_preparation():
    now = local(2026, 3, 2, 22)
    assert ready_time([], [], now, timedelta(hours=2)) == local(2026, 3, 3, 0)
