"""Round results cost the same number of SQL statements for 3 respondents as for 40 (issue 16)."""

from __future__ import annotations

from tests.factories import create_cluster, login, manager_of
from tests.plugins.innovativeness.helpers import seed_round
from tests.support.queries import statements_for


def test_results_round_page_and_dashboard_statements_do_not_grow_with_respondents(app) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for respondents in (3, 40):
        cluster = create_cluster()
        rnd = seed_round(cluster, [("sme", 1 + n % 5) for n in range(respondents)])
        client = app.test_client()
        login(client, manager_of(cluster))
        base = f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}"
        counts.append((statements_for(client, base + "/results"), statements_for(client, base),
                       statements_for(client, f"/clusters/{cluster.id}")))
    assert counts[0] == counts[1]
    assert counts[1][2] <= 6  # the dashboard, with the round widget
