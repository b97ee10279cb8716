"""Prices as readers write them (home/money.py), the brand colour rule and campaigns."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from home.models import CampaignPage, validate_brand_colour
from home.money import format_money
from tests import builders

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


# Money -----------------------------------------------------------------------------------


def test_french_price_has_a_decimal_comma_and_the_euro_after():
    assert format_money(Decimal("12.5"), "fr") == f"12,50{NBSP}€"


def test_french_thousands_are_separated_by_a_narrow_space():
    assert format_money(Decimal("1234.5"), "fr") == f"1{NARROW_NBSP}234,50{NBSP}€"


def test_english_price_has_the_euro_first_and_a_decimal_point():
    assert format_money(Decimal("12.5"), "en") == "€12.50"
    assert format_money(Decimal("1234.5"), "en") == "€1,234.50"


def test_language_defaults_to_the_active_one():
    with translation.override("en"):
        english = format_money(Decimal("12.5"))
    with translation.override("fr"):
        french = format_money(Decimal("12.5"))

    assert (english, french) == ("€12.50", f"12,50{NBSP}€")


def test_regional_language_code_uses_its_language():
    assert format_money(Decimal("12.5"), "en-gb") == "€12.50"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("2.005", "2,01"), ("2.004", "2,00"), ("0.995", "1,00"), ("-2.005", "-2,01")],
)
def test_amounts_are_rounded_half_up_to_the_cent(amount, expected):
    assert format_money(Decimal(amount), "fr") == f"{expected}{NBSP}€"


def test_negative_english_price_puts_the_sign_before_the_euro():
    assert format_money(Decimal("-3.5"), "en") == "-€3.50"


def test_zero_is_a_price_not_an_empty_string():
    assert format_money(Decimal("0"), "fr") == f"0,00{NBSP}€"


def test_missing_amount_gives_an_empty_string():
    assert format_money(None) == ""
    assert format_money("") == ""


# Brand colour ------------------------------------------------------------------------------


def test_light_brand_colour_is_refused_for_poor_contrast():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_brand_colour("#ffff00")

    assert "contrast" in caught.value.messages[0]
    assert "4.5:1" in caught.value.messages[0]


def test_dark_blue_brand_colour_is_accepted():
    validate_brand_colour("#1d4e89")


@pytest.mark.parametrize("value", ["blue", "#1d4e8", "1d4e89", "#1d4e8g"])
def test_brand_colour_must_be_a_hex_code(value):
    with pytest.raises(ValidationError):
        validate_brand_colour(value)


# Campaigns ---------------------------------------------------------------------------------


def add_campaign(title, starts_on, ends_on, live=True):
    campaign = CampaignPage(title=title, starts_on=starts_on, ends_on=ends_on, live=live)
    builders.home_page().add_child(instance=campaign)
    return campaign


@pytest.mark.django_db
def test_campaign_runs_from_its_first_to_its_last_day_included():
    campaign = CampaignPage(title="Noël", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 24))

    assert not campaign.is_running(date(2026, 11, 30))
    assert campaign.is_running(date(2026, 12, 1))
    assert campaign.is_running(date(2026, 12, 24))
    assert not campaign.is_running(date(2026, 12, 25))


@pytest.mark.django_db
def test_campaign_ending_before_it_starts_is_refused(home):
    campaign = add_campaign("Noël", date(2026, 12, 1), date(2026, 12, 24))
    campaign.ends_on = date(2026, 11, 30)

    with pytest.raises(ValidationError) as caught:
        campaign.clean()

    assert "ends_on" in caught.value.message_dict


@pytest.mark.django_db
def test_one_day_campaign_is_accepted(home):
    campaign = add_campaign("Braderie", date(2026, 6, 6), date(2026, 6, 6))

    campaign.clean()


@pytest.mark.django_db
def test_home_page_lists_only_running_live_campaigns(home):
    today = date(2026, 12, 10)
    running = add_campaign("Noël", date(2026, 12, 1), date(2026, 12, 24))
    ending_today = add_campaign("Saint-Nicolas", date(2026, 12, 1), date(2026, 12, 10))
    add_campaign("Brouillon", date(2026, 12, 1), date(2026, 12, 24), live=False)
    add_campaign("Rentrée", date(2026, 9, 1), date(2026, 9, 30))
    add_campaign("Soldes", date(2027, 1, 3), date(2027, 1, 31))

    campaigns = list(home.running_campaigns(today))

    # Ordered by end date: the campaign about to finish comes first.
    assert [c.pk for c in campaigns] == [ending_today.pk, running.pk]
