"""The suite's one way to set the moment a test runs at.

A test whose outcome depends on the date or the time of day is marked `dated`: it runs at
the session's moment (today, or `--now`) and again at each moment of the calendar sweep
below, where a town's portal breaks — the new year in Brussels, the 29th of February, the
hour that does not exist in spring and the hour that happens twice in autumn, a Monday and
a Sunday. Each is a UTC instant: a local time that does not exist cannot be set.

Time runs on (`tick=True`): background threads and leases still see time pass. Note that
`time.monotonic` is never faked.
"""

from datetime import UTC, datetime

import time_machine

SWEEP = {
    # 31 Dec 23:30 UTC is already 1 January 00:30 in Brussels: the year changed locally.
    "new-year-in-brussels": "2026-12-31T23:30:00+00:00",
    # 31 Dec 22:30 UTC is 23:30 on New Year's Eve in Brussels: the last local hour of a year.
    "new-years-eve": "2026-12-31T22:30:00+00:00",
    "leap-year-28-feb": "2028-02-28T11:00:00+00:00",
    "leap-day": "2028-02-29T11:00:00+00:00",
    # Last Sunday of March: 01:59 CET, then the clock jumps from 02:00 to 03:00.
    "spring-gap-before": "2027-03-28T00:59:00+00:00",
    "spring-gap-after": "2027-03-28T01:30:00+00:00",  # 03:30 CEST
    # Last Sunday of October: 02:30 local happens twice (fold=0 in CEST, fold=1 in CET).
    "autumn-repeat-first": "2027-10-31T00:30:00+00:00",
    "autumn-repeat-second": "2027-10-31T01:30:00+00:00",
    # The edges of a week: three minutes into a Monday, ten minutes before Sunday ends.
    "monday": "2027-06-13T22:03:00+00:00",  # 00:03 CEST on Monday 14 June
    "sunday": "2027-06-20T21:50:00+00:00",  # 23:50 CEST on Sunday 20 June
}


def instant(value):
    """An aware UTC datetime from an ISO 8601 string with its offset (…Z, …+01:00)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r}: give a UTC offset (…Z or …+00:00)")
    return moment.astimezone(UTC)


def travel(moment):
    """Move the clocks of this process to `moment` (aware datetime or ISO string); time runs
    on from there. Use as a context manager, or start() / stop()."""
    if isinstance(moment, str):
        moment = instant(moment)
    return time_machine.travel(moment, tick=True)
