"""Helpers shared by the views: the questionnaire page and access checks."""

from __future__ import annotations

from typing import Mapping

from flask import abort, render_template
from core.api import clusters_of_user, current_cluster, get_in_cluster_or_404
from plugins.innovativeness.bank import QuestionBank
from plugins.innovativeness.forms import ActionForm
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.questionnaire import Page, field_name, form_value
from plugins.innovativeness.rounds import close_round, results_readable


def render_questionnaire(
    bank: QuestionBank,
    page: Page,
    answers: Mapping[str, int],
    errors: Mapping[str, str],
    form: ActionForm,
    urls: Mapping[str, str],
    posted: Mapping[str, str] | None = None,
    heading: str = "Quick innovativeness test",
    submit_label: str = "See my result",
    extra: Mapping[str, object] | None = None,
) -> str:
    """One questionnaire page; posted values win over stored ones so input is kept."""
    values = {s.key: form_value(answers.get(s.key)) for d in page.drivers for s in d.statements}
    if posted is not None:
        for key in values:
            raw = posted.get(field_name(key))
            if raw is not None:
                values[key] = raw
    return render_template(
        "innovativeness/questionnaire.html",
        bank=bank,
        page=page,
        values=values,
        errors=errors,
        form=form,
        urls=urls,
        field_name=field_name,
        heading=heading,
        submit_label=submit_label,
        **(extra or {}),
    )


def load_round(round_id: int) -> AssessmentRound:
    """The round of the current cluster (404 for anyone else's), finalised if due."""
    rnd = get_in_cluster_or_404(AssessmentRound, round_id)
    if rnd.closed_at is None and not rnd.is_open:
        close_round(rnd)
    return rnd


def can_read_results(rnd: AssessmentRound) -> bool:
    return results_readable(rnd, current_cluster().reads_aggregates)


def require_results_access(rnd: AssessmentRound) -> None:
    if can_read_results(rnd):
        return
    if rnd.anonymous and rnd.is_open:
        abort(403, description="Results of an anonymous round appear when it closes, so that nobody can work out "
                               "one person's answers by comparing results before and after they submit.")
    abort(403, description="The manager has not published this round's results yet.")


def user_clusters(user_id: int) -> list[tuple[int, str]]:
    """(cluster id, name) of the user's workspaces, for the save form."""
    return [(info.cluster_id, info.cluster_name) for info in clusters_of_user(user_id)]
