"""Builders of the town's calendar for tests: the calendar page and its events."""

from datetime import date, time

from django.utils.text import slugify

from events.models import EventException, EventIndexPage, EventPage, EventShop
from tests import builders


def calendar():
    index = EventIndexPage.objects.first()
    if index is None:
        index = EventIndexPage(title="Agenda", slug="agenda", intro="Marchés et événements.")
        builders.home_page().add_child(instance=index)
        index.save_revision().publish()
    return index


def event(
    title="Marché du samedi",
    *,
    start_date=date(2027, 10, 2),
    start_time=time(8),
    end_time=time(13),
    exceptions=(),
    shops=(),
    publish=True,
    **fields,
):
    page = EventPage(
        title=title,
        slug=slugify(title),
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        place=fields.pop("place", "Grand-Place"),
        **fields,
    )
    for day in exceptions:
        page.exceptions.add(EventException(date=day))
    for shop in shops:
        page.shops.add(EventShop(shop=shop))
    calendar().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def saturday_market(**fields):
    """Every Saturday 8:00–13:00 on the Grand-Place, from 2 October 2027 (a Saturday)."""
    return event(repeat="weekly", **fields)
