"""The demo town's calendar: a Saturday market with one Saturday off, and a one-off evening
in the shops."""

from datetime import time, timedelta

from django.utils.text import slugify

from events.models import EventException, EventIndexPage, EventPage, EventShop

CALENDAR_TITLE = "Agenda"
CALENDAR_INTRO = "Les marchés et les événements des commerces de la ville."
MARKET_TITLE = "Marché du samedi"
EVENING_TITLE = "Nocturne des commerces"


def ensure_calendar(home, shops, today):
    """The calendar page and its two events, if it does not exist yet; how many pages it
    created. Dates are set around the day of creation; a later run leaves them alone."""
    if EventIndexPage.objects.exists():
        return 0
    index = EventIndexPage(title=CALENDAR_TITLE, slug="agenda", intro=CALENDAR_INTRO)
    home.add_child(instance=index)
    index.save_revision().publish()

    first_saturday = today - timedelta(days=(today.weekday() - 5) % 7 + 28)
    market = EventPage(
        title=MARKET_TITLE,
        slug=slugify(MARKET_TITLE),
        intro="Fruits, légumes, fromages et pain des producteurs de la région.",
        start_date=first_saturday,
        start_time=time(8),
        end_time=time(13),
        repeat=EventPage.Repeat.WEEKLY,
        place="Grand-Place",
        address="Grand-Place, centre-ville",
    )
    # The fourth Saturday from now is off: the square hosts the town's fair.
    market.exceptions.add(EventException(date=first_saturday + timedelta(weeks=8)))
    evening = EventPage(
        title=EVENING_TITLE,
        slug=slugify(EVENING_TITLE),
        intro="Les commerces du centre restent ouverts jusqu'à 22 h : animations et dégustations.",
        start_date=today + timedelta(days=12),
        start_time=time(18),
        end_time=time(22),
        place="Rues du centre",
    )
    for event, taking_part in ((market, shops[:3]), (evening, shops[3:9])):
        for shop in taking_part:
            event.shops.add(EventShop(shop=shop))
        index.add_child(instance=event)
        event.save_revision().publish()
    return 3
