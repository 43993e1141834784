"""Amounts in minor units (cents): VAT arithmetic and display, never floats."""

from __future__ import annotations

from dataclasses import dataclass

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF "}
ZERO_DECIMAL = {"JPY", "KRW"}


@dataclass(frozen=True)
class PriceBreakdown:
    net_minor: int
    vat_minor: int
    total_minor: int
    currency: str
    vat_rate_bp: int


def vat_of(net_minor: int, vat_rate_bp: int) -> int:
    """VAT rounded half up to the minor unit (basis points: 2000 = 20 %)."""
    return (net_minor * vat_rate_bp + 5000) // 10000


def breakdown(net_minor: int, currency: str, vat_rate_bp: int) -> PriceBreakdown:
    vat = vat_of(net_minor, vat_rate_bp)
    return PriceBreakdown(net_minor, vat, net_minor + vat, currency.upper(), vat_rate_bp)


def format_money(amount_minor: int, currency: str) -> str:
    """``150000, "EUR"`` -> ``€1,500.00``; negative amounts keep their sign in front."""
    currency = currency.upper()
    sign = "-" if amount_minor < 0 else ""
    value = abs(amount_minor)
    if currency in ZERO_DECIMAL:
        number = f"{value:,}"
    else:
        number = f"{value // 100:,}.{value % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def format_rate(vat_rate_bp: int) -> str:
    """2000 -> "20 %", 550 -> "5.5 %"."""
    whole, frac = divmod(vat_rate_bp, 100)
    return f"{whole} %" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + " %"


#: Largest amount the ledger stores, in minor units (a 32-bit column on PostgreSQL): €21,474,836.47.
MAX_MINOR = 2**31 - 1


def parse_amount(text: str, currency: str = "EUR") -> int:
    """Parse "1500", "1,500.50" or "1500,5" typed by an admin into minor units.

    Raises ``ValueError`` with a message for the form: not a number, too many decimals,
    decimals in a zero-decimal currency, or more than ``MAX_MINOR``.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    if not cleaned or cleaned.count(".") > 1 or not cleaned.replace(".", "").isdigit():
        raise ValueError("Enter an amount such as 1500 or 1500.00.")
    whole, _, frac = cleaned.partition(".")
    if currency.upper() in ZERO_DECIMAL:
        if frac.strip("0"):
            raise ValueError("This currency has no decimals.")
        if int(whole or "0") > MAX_MINOR:
            raise ValueError("That amount is too large.")
        return int(whole or "0")
    if len(frac) > 2:
        raise ValueError("Use at most two decimals.")
    minor = int(whole or "0") * 100 + int((frac + "00")[:2])
    if minor > MAX_MINOR:
        raise ValueError("That amount is too large.")
    return minor
