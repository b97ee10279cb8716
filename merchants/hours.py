"""When is a shop open? One tested place for every opening-hours rule.

Hours are wall-clock times in the site's time zone, so a bakery that opens at 7:00
opens at 7:00 on both daylight-saving change days. A range whose closing time is not
after its opening time runs past midnight (22:00–02:00).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


def shop_status(ranges, closures=(), now=None):
    ranges = list(ranges)
    closures = list(closures)
    wall = local_wall_clock(now)
    today = wall.date()
    if not ranges:
        return ShopStatus(ShopStatus.UNKNOWN, now=wall)

    intervals = []
    for offset in range(-1, LOOKAHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        if any(closure.covers(day) for closure in closures):
            continue
        intervals.extend(r.on(day) for r in ranges if r.weekday == day.weekday())
    intervals.sort()

    closure_today = next((c for c in closures if c.covers(today)), None)
    open_today = closure_today is None and any(r.weekday == today.weekday() for r in ranges)

    for index, (start, end) in enumerate(intervals):
        if start <= wall < end:
            # 22:00–24:00 followed by 00:00–02:00 is one evening: close at 02:00.
            for next_start, next_end in intervals[index + 1 :]:
                if next_start > end:
                    break
                end = max(end, next_end)
            return ShopStatus(ShopStatus.OPEN, now=wall, closes_at=end, open_today=True)

    upcoming = next((start for start, _end in intervals if start > wall), None)
    return ShopStatus(
        ShopStatus.CLOSED,
        now=wall,
        opens_at=upcoming,
        closure=closure_today,
        open_today=open_today,
    )
