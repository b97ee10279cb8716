"""A news item posted counts as the shop being kept up: no stale-shop reminder after it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights import nudges
from insights.models import NudgeKind
from merchants.models import MerchantPage
from news.models import NewsItem

from .. import builders

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def left_alone(shop, days):
    MerchantPage.objects.filter(pk=shop.pk).update(
        last_published_at=timezone.now() - timedelta(days=days)
    )


def posted(item, days):
    NewsItem.objects.filter(pk=item.pk).update(posted_at=timezone.now() - timedelta(days=days))


def test_a_shop_that_posted_news_lately_is_not_stale(bakery, flower_shop, moment):
    left_alone(bakery, 60)
    left_alone(flower_shop, 60)
    posted(builders.news_item(bakery, "Arrivage de truffes samedi"), 3)
    posted(builders.news_item(flower_shop, "Pivoines"), 45)

    assert nudges.send_due()[NudgeKind.STALE_SHOP] == 1  # the flower shop only
    stale = MerchantPage.objects.with_last_update().get(pk=bakery.pk)
    assert (timezone.now() - stale.last_update).days == 3
    assert nudges.stale_reminders() == []  # and the flower shop's is sent


def test_the_stale_count_starts_again_from_the_post(bakery, moment):
    left_alone(bakery, 60)
    posted(builders.news_item(bakery), 31)

    [mail] = nudges.stale_reminders()

    assert mail.context["days"] == 31
