"""The demo town's shop news: what a few merchants posted lately, shown on their page and on
the home page ("Arrivage de truffes samedi")."""

from datetime import timedelta

from django.utils import timezone

from news.models import NewsItem

# By shop kind: (text, days since it was posted, days it still shows; None: no end date).
NEWS = {
    "boulangerie-patisserie": (
        "Galette des rois à la frangipane dès samedi : pensez à la réserver.",
        1,
        10,
    ),
    "fromagerie": ("Arrivage de vacherin Mont-d'Or cette semaine, au lait cru.", 2, 7),
    "fleuriste": ("Fermé lundi pour inventaire ; ouvert dimanche matin de 9 h à 12 h.", 0, 5),
    "chocolatier": ("Nouveaux pralinés à la fève tonka, en dégustation au comptoir.", 3, None),
    "librairie": ("Séance de dédicaces samedi à 15 h avec une autrice de la région.", 4, 6),
}


def ensure_news(shops, now=None):
    """One news item for the first demo shop of each kind above, unless the demo's shops
    already have news; how many items it created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if NewsItem.objects.filter(shop__in=[shop for _plan, shop in shops]).exists():
        return 0
    items, seen = [], set()
    for plan, shop in shops:
        entry = NEWS.get(plan.kind.slug)
        if entry is None or plan.kind.slug in seen:
            continue
        seen.add(plan.kind.slug)
        text, days_ago, shows_for = entry
        items.append(
            NewsItem(
                shop=shop,
                text=text,
                posted_at=now - timedelta(days=days_ago, hours=2),
                ends_on=None if shows_for is None else today + timedelta(days=shows_for),
            )
        )
    NewsItem.objects.bulk_create(items)
    return len(items)
