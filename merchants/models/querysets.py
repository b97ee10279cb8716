from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from wagtail.models import PageManager

from home import page_cache
from home.pages import PublicInTheSameQuery

from ..hours import instant, local_wall_clock, repeated_hour
from ..roles import declared_by_apps
from .inlines import Closure, OpeningHours, ShopGalleryImage


def next_change_of_any_shop(now):
    """The next moment today, after `now`, at which any shop opens or closes (one query), or
    None. A change on a later day, or a closure's first or last day, comes after midnight,
    which the page cache never passes. Conservative: a candidate not after `now` (the hour
    the autumn night repeats, whose times count as their first pass) gives `now`."""
    wall = local_wall_clock(now)
    today, clock = wall.date(), wall.time()
    weekday, yesterday = today.weekday(), (today - timedelta(days=1)).weekday()
    past_midnight = Q(closes__lte=F("opens"))
    found = OpeningHours.objects.aggregate(
        next_opening=Min("opens", filter=Q(weekday=weekday, opens__gt=clock)),
        next_closing=Min(
            "closes",
            filter=Q(closes__gt=clock)
            & ((Q(weekday=weekday) & ~past_midnight) | (Q(weekday=yesterday) & past_midnight)),
        ),
    )
    moments = [instant(datetime.combine(today, t)) for t in found.values() if t is not None]
    if not moments:
        return None
    return max(min(moments), now)


def activity_fields():
    """(model, date field) for each kind of object whose change shows a shop is kept up, as
    the installed apps declare them: {"model name": "field"} in `shop_activity` on their
    AppConfig (merchants does not know the apps built on it)."""
    return [
        (apps.get_model(app_label, name), config.shop_activity[name])
        for app_label, name in declared_by_apps("shop_activity")
        for config in [apps.get_app_config(app_label)]
    ]


class MerchantPageQuerySet(page_cache.PurgingQuerySet, PublicInTheSameQuery):
    # public() is asked several times a page (the shops, the products of live shops, the
    # recent updates…): each time in the listing's own query.

    def open_at(self, now=None):
        """Shops open at `now`, as a database filter (see hours.py for the same rule in Python)."""
        if now is None:
            # Which shops are open changes at the next opening or closing of any of them: a
            # page listing the shops open now is kept until then at the latest.
            now = timezone.now()
            page_cache.expires_at(lambda: next_change_of_any_shop(now))
        wall = local_wall_clock(now)
        today, clock = wall.date(), wall.time()
        yesterday = today - timedelta(days=1)
        hours = OpeningHours.objects.filter(shop=OuterRef("pk"))
        closures = Closure.objects.filter(shop=OuterRef("pk"))
        started, not_ended = Q(opens__lte=clock), Q(closes__gt=clock)
        if repeat := repeated_hour(now):
            # The clock runs through this hour a second time: what started or ended in it
            # did so on the first pass (hours.instant).
            started |= Q(opens__gte=repeat[0], opens__lt=repeat[1])
            not_ended &= ~Q(closes__gte=repeat[0], closes__lt=repeat[1])
        same_day = hours.filter(started, weekday=today.weekday()).filter(
            not_ended | Q(closes__lte=F("opens"))
        )
        after_midnight = hours.filter(
            not_ended, weekday=yesterday.weekday(), closes__lte=F("opens")
        )
        closed_today = closures.filter(starts_on__lte=today, ends_on__gte=today)
        closed_yesterday = closures.filter(starts_on__lte=yesterday, ends_on__gte=yesterday)
        return self.filter(
            (Exists(same_day) & ~Exists(closed_today))
            | (Exists(after_midnight) & ~Exists(closed_yesterday))
        )

    def taking_requests(self, today=None):
        """Shops whose requests are not paused on `today`."""
        today = today or timezone.localdate()
        return self.exclude(requests_paused_until__gte=today)

    def similar_to(self, shop):
        """Other live, public shops of one of `shop`'s categories."""
        return (
            self.live()
            .public()
            .filter(categories__in=shop.categories.all())
            .exclude(pk=shop.pk)
            .distinct()
        )

    def with_last_update(self):
        """Annotate `last_update`: the latest of the page's publication and of what the apps
        built on merchants count as the shop's activity (`shop_activity` on their AppConfig:
        a product edited, a news item posted). A shop whose `last_update` is
        PORTAL_STALE_AFTER_DAYS old is "stale"."""
        moments = [F("last_published_at")] + [
            Subquery(
                model.objects.filter(shop=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
            )
            for model, field in activity_fields()
        ]
        if len(moments) == 1:
            return self.annotate(last_update=moments[0])
        # Greatest() is NULL on SQLite when any side is: each side falls back on the others.
        return self.annotate(
            last_update=Greatest(
                *(Coalesce(*moments[i:], *moments[:i]) for i in range(len(moments)))
            )
        )

    def count_and_next_going_stale(self, stale_before):
        """The number of these shops (`with_last_update`) and the moment the first of those
        updated since `stale_before` becomes stale, or None, in one query: a list that sets
        the stale ones apart changes then."""
        found = self.aggregate(
            count=Count("pk"), first=Min("last_update", filter=Q(last_update__gte=stale_before))
        )
        if found["first"] is None:
            return found["count"], None
        return found["count"], found["first"] + timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)

    def for_cards(self, renditions=True):
        """Everything a shop card shows, in a fixed number of queries. Without `renditions`,
        the caller reads those of several lists' photos at once (home.models.with_renditions)."""
        photos = ShopGalleryImage.objects.select_related("image")
        if renditions:
            photos = photos.prefetch_related("image__renditions")
        return self.select_related("neighbourhood", "logo").prefetch_related(
            "categories",
            "opening_hours",
            "closures",
            Prefetch("gallery_images", queryset=photos),
        )


MerchantPageManager = PageManager.from_queryset(MerchantPageQuerySet)
