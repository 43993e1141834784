"""Pure rules: VAT arithmetic, amount parsing, cancellation tiers, lifecycle arrows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engagements.lifecycle import ALLOWED, MAIN_PATH, is_allowed
from engagements.money import breakdown, format_money, parse_amount, vat_of
from engagements.policy import parse_policy, refund_amount, refund_percent

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


def test_vat_is_rounded_half_up_to_the_cent() -> None:
    assert vat_of(100000, 2000) == 20000
    assert vat_of(999, 550) == 55  # 54.945 -> 55
    assert breakdown(100000, "eur", 2000).total_minor == 120000


def test_money_is_shown_with_symbol_and_two_decimals() -> None:
    assert format_money(150050, "EUR") == "€1,500.50"
    assert format_money(-500, "GBP") == "-£5.00"
    assert format_money(1000, "SEK") == "10.00 SEK"


@pytest.mark.parametrize(
    "text,minor", [("1500", 150000), ("1,500.50", 150050), ("1500,5", 150050), ("0.99", 99)]
)
def test_admins_type_amounts_in_major_units(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1.2.3", "-5"])
def test_malformed_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_refund_share_depends_on_days_before_the_workshop() -> None:
    policy = "14:100,3:50"
    assert refund_percent(policy, NOW + timedelta(days=20), NOW) == 100
    assert refund_percent(policy, NOW + timedelta(days=14), NOW) == 100
    assert refund_percent(policy, NOW + timedelta(days=5), NOW) == 50
    assert refund_percent(policy, NOW + timedelta(days=1), NOW) == 0
    assert refund_percent(policy, None, NOW) == 100


@pytest.mark.parametrize(
    "paid,percent,expected",
    [(119999, 50, 60000), (119999, 33, 39600), (100001, 50, 50001), (99, 50, 50), (1, 50, 1), (119999, 100, 119999)],
)
def test_refund_share_is_rounded_half_up_to_the_cent(paid: int, percent: int, expected: int) -> None:
    # €999.99 net + 20 % VAT = €1,199.99 paid: half is €600.00 (not €599.99), 33 % is €396.00 (not €395.99)
    assert refund_amount(paid, 0, percent) == expected


def test_cancellation_terms_state_the_rounding_rule() -> None:
    from engagements.kinds import KINDS
    from engagements.policy import describe_policy

    assert "Refunds are rounded half up to the cent, as VAT is." in describe_policy("14:100,3:50", KINDS["workshop"])
    assert "Refunds are rounded half up to the cent, as VAT is." in describe_policy("0:50", KINDS["report"])
    assert not any("rounded" in line for line in describe_policy("14:100", KINDS["workshop"]))


def test_refund_amount_subtracts_what_was_already_refunded() -> None:
    assert refund_amount(120000, 0, 50) == 60000
    assert refund_amount(120000, 100000, 100) == 20000
    assert refund_amount(120000, 120000, 100) == 0


@pytest.mark.parametrize("bad", ["14", "x:100", "14:150", "3:100,14:50"])
def test_malformed_or_growing_policies_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_policy(bad)


def test_lifecycle_allows_only_listed_arrows() -> None:
    for a, b in zip(MAIN_PATH, MAIN_PATH[1:]):
        assert is_allowed(a, b)
    assert not is_allowed("requested", "paid")
    assert not is_allowed("refunded", "paid")
    assert not is_allowed("closed", "cancelled")
    assert ALLOWED["refunded"] == frozenset()


def test_policy_text_speaks_of_what_was_bought() -> None:
    from engagements.kinds import KINDS
    from engagements.policy import describe_policy

    assert describe_policy("14:100,0:50", KINDS["session"]) == [
        "100 % refund until 14 days before the session.",
        "50 % refund up to the day of the session.",
        "No refund after that.",
        "Refunds are rounded half up to the cent, as VAT is.",
    ]
    report_lines = describe_policy("14:100,3:50", KINDS["report"])
    assert report_lines == ["100 % refund if you cancel before work on the report starts; no cancellation after that."]
    assert not any("day" in line for line in report_lines)
    assert describe_policy("0:0", KINDS["report"]) == ["No refund after payment."]


def test_unknown_kind_keys_fall_back_to_a_workshop() -> None:
    from engagements.kinds import get_kind

    assert get_kind("report").has_date is False
    assert get_kind(None).key == "workshop" and get_kind("bogus").has_date is True
