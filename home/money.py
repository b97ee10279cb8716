"""Prices are Decimals in EUR, shown the way the reader's language writes them."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
CENT = Decimal("0.01")


def format_money(amount, language=None):
    """`12,50 €` in French (the default), `€12.50` in English; None gives an empty string."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    language = (language or get_language() or "fr").split("-")[0]
    if language == "en":
        grouped = f"{int(whole):,}"
        return f"{sign}€{grouped}.{cents}"
    grouped = f"{int(whole):,}".replace(",", NARROW_NBSP)
    return f"{sign}{grouped},{cents}{NBSP}€"
