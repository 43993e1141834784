"""Small helpers for the self-assessment's HTTP tests."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from core.api import utcnow
from plugins.innovativeness import rounds
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.questionnaire import field_name

BANK = get_bank("1")
PAGES = BANK.pages()


def page_form(page_number: int, value: str | int, action: str = "next") -> dict[str, str]:
    """Every statement of a page answered with the same value."""
    data = {field_name(s.key): str(value) for d in PAGES[page_number - 1] for s in d.statements}
    data["action"] = action
    return data


def answer_everything(client: FlaskClient, first_page_url: str, value: str | int = 4) -> None:
    """Walk all pages from page 1, answering every statement with ``value``."""
    base = first_page_url.rsplit("/", 1)[0]
    response = None
    for number in range(1, len(PAGES) + 1):
        response = client.post(f"{base}/{number}", data=page_form(number, value))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def open_round(cluster, manager, title: str = "Spring round", anonymous: bool = True, members=None) -> AssessmentRound:  # type: ignore[no-untyped-def]
    return rounds.open_round(
        cluster.id, cluster.name, manager.id, title, "1", utcnow() + timedelta(days=14), anonymous, members
    )
