"""Cancellation policies: how much of the price comes back when a cluster cancels.

A policy is written as tiers ``"14:100,3:50"``: cancelling at least 14 days before
the workshop refunds 100 %, at least 3 days before refunds 50 %, later nothing.
When no date is fixed yet, the first tier applies (the work has not been planned).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engagements.kinds import ServiceKind


@dataclass(frozen=True)
class Tier:
    days_before: int
    percent: int


def parse_policy(text: str) -> list[Tier]:
    """Parse and validate a policy; tiers come back sorted, most generous first."""
    tiers: list[Tier] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        days, sep, percent = part.partition(":")
        if not sep or not days.strip().isdigit() or not percent.strip().isdigit():
            raise ValueError(f"'{part}' is not of the form days:percent, e.g. 14:100")
        tier = Tier(int(days), int(percent))
        if tier.percent > 100:
            raise ValueError("A refund cannot exceed 100 %.")
        tiers.append(tier)
    tiers.sort(key=lambda t: -t.days_before)
    for earlier, later in zip(tiers, tiers[1:]):
        if later.percent > earlier.percent:
            raise ValueError("Refunds must not grow as the date gets closer.")
    return tiers


def refund_percent(policy: str, scheduled_for: datetime | None, now: datetime) -> int:
    """The share of the price refunded when cancelling at ``now``."""
    tiers = parse_policy(policy)
    if not tiers:
        return 0
    if scheduled_for is None:
        return tiers[0].percent
    days_left = (scheduled_for - now).total_seconds() / 86400
    for tier in tiers:
        if days_left >= tier.days_before:
            return tier.percent
    return 0


#: Stated in the cancellation terms (``describe_policy``) so buyers can check the arithmetic.
ROUNDING_RULE = "Refunds are rounded half up to the cent, as VAT is."


def refund_amount(paid_minor: int, already_refunded_minor: int, percent: int) -> int:
    """Policy share of what was paid (minor units), less what has already gone back; never negative.

    The share is rounded half up to the minor unit, the rule VAT already follows
    (``money.vat_of``): 50 % of 119999 is 60000, 33 % of 119999 is 39600.
    """
    due = (paid_minor * percent + 50) // 100
    return max(0, min(due, paid_minor) - already_refunded_minor)


def describe_policy(policy: str, kind: ServiceKind) -> list[str]:
    """Human sentences for the services page and the cancel form, in the words of what was bought.

    A service without a date (a report) has only its first tier: it applies until
    delivery starts, and cancelling is not possible after that (see ``lifecycle.CANCELLABLE``).
    """
    tiers = parse_policy(policy)
    if not tiers:
        return ["No refund after payment."]
    if not kind.has_date:
        first = tiers[0].percent
        if first == 0:
            return ["No refund after payment."]
        lines = [f"{first} % refund if you cancel before work on the {kind.noun} starts; no cancellation after that."]
        return lines + ([ROUNDING_RULE] if first < 100 else [])
    lines = []
    for tier in tiers:
        if tier.days_before == 0:
            lines.append(f"{tier.percent} % refund up to the day of the {kind.noun}.")
        else:
            lines.append(f"{tier.percent} % refund until {tier.days_before} days before the {kind.noun}.")
    lines.append("No refund after that." if tiers[-1].percent else "")
    if any(0 < tier.percent < 100 for tier in tiers):
        lines.append(ROUNDING_RULE)
    return [line for line in lines if line]
