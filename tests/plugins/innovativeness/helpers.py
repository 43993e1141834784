"""Small helpers for the self-assessment's HTTP tests."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from core.api import utcnow
from plugins.innovativeness import rounds
from plugins.innovativeness.bank import get_bank, latest_bank
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.questionnaire import field_name

BANK = get_bank("1")  # the rounds opened by these helpers keep using version 1
PAGES = BANK.pages()
QUICK_PAGES = latest_bank().pages()  # the quick test always uses the latest version


def page_form(page_number: int, value: str | int, action: str = "next", pages=PAGES) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every statement of a page answered with the same value."""
    data = {field_name(s.key): str(value) for d in pages[page_number - 1] for s in d.statements}
    data["action"] = action
    return data


def quick_page_form(page_number: int, value: str | int, action: str = "next") -> dict[str, str]:
    return page_form(page_number, value, action, QUICK_PAGES)


def answer_everything(client: FlaskClient, first_page_url: str, value: str | int = 4) -> None:
    """Walk all pages from page 1, answering every statement with ``value``."""
    base = first_page_url.rsplit("/", 1)[0]
    response = None
    for number in range(1, len(PAGES) + 1):
        response = client.post(f"{base}/{number}", data=page_form(number, value))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def open_round(cluster, manager, title: str = "Spring round", anonymous: bool = True, members=None,  # type: ignore[no-untyped-def]
               bank_version: str = "1", one_per_organisation: bool = False) -> AssessmentRound:
    return rounds.open_round(
        cluster.id, cluster.name, manager.id, title, bank_version, utcnow() + timedelta(days=14), anonymous, members,
        one_per_organisation=one_per_organisation,
    )


def seed_round(cluster, respondents: list[tuple[str, int]], title: str = "Round", anonymous: bool = False,  # type: ignore[no-untyped-def]
               close: bool = False, publish: bool = False, bank_version: str = "1",
               answers: dict[str, int] | None = None, agree: bool = False) -> AssessmentRound:
    """A round where one new member per (actor type, answer) pair submitted every
    statement answered with that value; the manager is invited but silent.

    ``agree`` answers reverse-scored statements with 6 - value, so that every
    driver scores exactly (value - 1) x 25; ``answers`` overrides single
    statements (raw answers, applied last)."""
    from sqlalchemy import select

    from core.api import db
    from plugins.innovativeness.models import Participant
    from tests.factories import add_member, manager_of

    members = [(add_member(cluster, organisation_type=org), value) for org, value in respondents]
    rnd = open_round(cluster, manager_of(cluster), title=title, anonymous=anonymous, bank_version=bank_version)
    bank = get_bank(bank_version)
    by_membership = {p.membership_id: p for p in db.session.execute(select(Participant).where(Participant.round_id == rnd.id)).scalars()}
    for membership, value in members:
        participant = by_membership[membership.id]
        given = {s.key: (6 - value if agree and s.reverse else value) for s in bank.statements}
        participant.set_answers(given | (answers or {}), bank)
        participant.submitted_at = utcnow()
    rnd.answers_version += 1
    db.session.commit()
    if close:
        rounds.close_round(rnd)
    if publish:
        rounds.publish_round(rnd, True)
    return rnd
