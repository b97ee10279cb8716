"""When is a shop open? One tested place for every opening-hours rule.

Hours are wall-clock times in the site's time zone, so a bakery that opens at 7:00
opens at 7:00 on both daylight-saving change days. A range whose closing time is not
after its opening time runs past midnight (22:00–02:00).

On the two nights a year when the clock changes, a time in the hour that the spring night
skips is reached when the clock jumps (02:30 is 03:00), and a time in the hour that the
autumn night repeats is its first pass (a night shop closing at 02:30 does not open again
when 02:00 comes round a second time).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class HoursRange:
    weekday: int  # 0 = Monday, as date.weekday()
    opens: time
    closes: time

    @property
    def runs_past_midnight(self):
        return self.closes <= self.opens

    def on(self, day):
        start = datetime.combine(day, self.opens)
        end_day = day + timedelta(days=1) if self.runs_past_midnight else day
        return start, datetime.combine(end_day, self.closes)


@dataclass(frozen=True)
class ClosurePeriod:
    starts_on: date
    ends_on: date
    reason: str = ""

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class ShopStatus:
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"

    state: str
    now: datetime  # naive wall-clock time in the site's time zone
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    closure: ClosurePeriod | None = None
    open_today: bool = False

    @property
    def is_open(self):
        return self.state == self.OPEN

    @property
    def changes_at(self):
        """The aware moment this status next changes (it opens or closes), or None."""
        moment = self.closes_at if self.is_open else self.opens_at
        return moment and instant(moment)

    def _when(self, moment):
        """'à 14:00', 'demain à 9:00' or 'lundi à 9:00'."""
        clock = moment.strftime("%H:%M")
        days = (moment.date() - self.now.date()).days
        if days == 0:
            return _("at %(time)s") % {"time": clock}
        if days == 1:
            return _("tomorrow at %(time)s") % {"time": clock}
        if days < 7:
            return _("%(weekday)s at %(time)s") % {
                "weekday": date_format(moment.date(), "l"),
                "time": clock,
            }
        return _("on %(date)s at %(time)s") % {
            "date": date_format(moment.date(), "j F"),
            "time": clock,
        }

    @property
    def headline(self):
        """One short line for a card: 'Ouvert jusqu'à 18:30', 'Fermé aujourd'hui'…"""
        if self.state == self.UNKNOWN:
            return _("Opening hours not given")
        if self.is_open:
            return _("Open until %(time)s") % {"time": self.closes_at.strftime("%H:%M")}
        if self.closure:
            return self.closure_text
        if self.opens_at and self.opens_at.date() == self.now.date():
            return _("Opens at %(time)s") % {"time": self.opens_at.strftime("%H:%M")}
        if not self.open_today:
            return _("Closed today")
        return _("Closed")

    @property
    def closure_text(self):
        until = date_format(self.closure.ends_on, "j F")
        if self.closure.reason:
            return _("Closed until %(date)s (%(reason)s)") % {
                "date": until,
                "reason": self.closure.reason,
            }
        return _("Closed until %(date)s") % {"date": until}

    @property
    def detail(self):
        """The full sentence for a shop page."""
        if self.state == self.UNKNOWN:
            return _("Opening hours not given")
        if self.is_open:
            return _("Open now, closes %(when)s") % {"when": self._when(self.closes_at)}
        if self.opens_at is None:
            return self.closure_text if self.closure else _("Closed")
        opens = _("opens %(when)s") % {"when": self._when(self.opens_at)}
        if self.closure:
            return f"{self.closure_text} · {opens}"
        if self.opens_at.date() == self.now.date():
            return _("Closed now, %(opens)s") % {"opens": opens}
        if not self.open_today:
            return _("Closed today, %(opens)s") % {"opens": opens}
        return _("Closed, %(opens)s") % {"opens": opens}


def local_wall_clock(now=None):
    """The site-time-zone wall-clock time of `now` (an aware datetime), as a naive datetime."""
    return timezone.localtime(now or timezone.now()).replace(tzinfo=None)


def instant(wall):
    """The aware moment of a wall-clock time in the site's time zone: the first pass of a
    repeated time, the jump for a skipped one."""
    zone = timezone.get_current_timezone()
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # Skipped: between the readings with the offsets before and after, find the jump.
    moment = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.astimezone(zone).utcoffset() == offset:
        moment += timedelta(minutes=1)
    return moment.astimezone(zone)


def repeated_hour(now):
    """(first, end) wall-clock times of the span the clock is running through a second time
    at `now`, or None: on the autumn night, 02:00 to 03:00 in Brussels."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    if not local.fold:
        return None
    moment = now.astimezone(UTC)
    while (moment - timedelta(minutes=1)).astimezone(zone).utcoffset() == local.utcoffset():
        moment -= timedelta(minutes=1)
    repeat = (moment - timedelta(minutes=1)).astimezone(zone).utcoffset() - local.utcoffset()
    first = moment.astimezone(zone).replace(tzinfo=None)
    return first.time(), (first + repeat).time()


def wall_of(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def opening_intervals(ranges, closures, today, days=LOOKAHEAD_DAYS):
    """The shop's opening intervals (aware start, end) from the day before `today` for
    `days` days, in order, made a day at a time as they are read: a status needs the few
    around now, not a fortnight's."""
    for offset in range(-1, days + 1):
        day = today + timedelta(days=offset)
        if any(closure.covers(day) for closure in closures):
            continue
        # Each interval starts on its own day, so a day's, in order, follow the day before's.
        intervals = []
        for r in ranges:
            if r.weekday == day.weekday():
                start, end = (instant(moment) for moment in r.on(day))
                if start < end:  # not a range inside the hour the spring night skips
                    intervals.append((start, end))
        yield from sorted(intervals)


def shop_status(ranges, closures=(), now=None):
    ranges = list(ranges)
    closures = list(closures)
    now = now or timezone.now()
    wall = local_wall_clock(now)
    today = wall.date()
    if not ranges:
        return ShopStatus(ShopStatus.UNKNOWN, now=wall)

    closure_today = next((c for c in closures if c.covers(today)), None)
    open_today = closure_today is None and any(r.weekday == today.weekday() for r in ranges)

    intervals = opening_intervals(ranges, closures, today)
    for start, end in intervals:
        if start > now:  # the first opening to come: every later one starts later still
            return ShopStatus(
                ShopStatus.CLOSED,
                now=wall,
                opens_at=wall_of(start),
                closure=closure_today,
                open_today=open_today,
            )
        if now < end:
            # 22:00–24:00 followed by 00:00–02:00 is one evening: close at 02:00.
            for next_start, next_end in intervals:
                if next_start > end:
                    break
                end = max(end, next_end)
            return ShopStatus(ShopStatus.OPEN, now=wall, closes_at=wall_of(end), open_today=True)
    return ShopStatus(ShopStatus.CLOSED, now=wall, closure=closure_today, open_today=open_today)


def first_whole_day_open(ranges, closures, since, days=366):
    """The aware moment the shop has first been open for a whole day since `since`: the
    last closing of the first day all of whose opening hours come after `since` (a closure
    skips its days; on a day the clock changes, its hours fall as the clock says). None when
    the shop gives no hours, or opens on none of the next `days` days."""
    day, whole, last_end = None, False, None
    for start, end in opening_intervals(ranges, closures, local_wall_clock(since).date(), days):
        start_day = wall_of(start).date()
        if start_day != day:
            if whole:
                return last_end
            day, whole, last_end = start_day, start >= since, end
        else:
            last_end = max(last_end, end)
    return last_end if whole else None


def ready_time(ranges, closures, now, preparation):
    """When a request accepted at `now` can be ready: `preparation` later when the shop is
    open then, otherwise `preparation` after it next opens. A duration is real time: two
    hours from 01:30 on the spring night is 04:30. Without hours, `preparation` from now."""
    # In UTC: Python adds a timedelta to a local time on the wall clock.
    now = now.astimezone(UTC)
    ready = now + preparation
    next_opening = None
    for start, end in opening_intervals(ranges, closures, local_wall_clock(now).date(), 366):
        if start <= ready < end:
            return ready
        if next_opening is None and start > now:
            next_opening = start
        if start > ready:
            break
    return ready if next_opening is None else next_opening.astimezone(UTC) + preparation
