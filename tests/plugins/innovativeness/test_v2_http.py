"""Bank v2 rounds over HTTP: the fact sheet, notices on the results page,
one response per organisation, cluster-office staff, comparison with a
version 1 round, and recommendations triggered by a weak statement."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.models import FactSheet, Participant
from plugins.innovativeness.reporting import recommendations
from plugins.innovativeness.results import comparison_with_previous, round_results
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.innovativeness.helpers import open_round, seed_round

V2 = get_bank("2")


def _url(cluster, rnd, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}{suffix}"


def test_new_rounds_and_the_round_form_default_to_bank_v2(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}/innovativeness/rounds/new").get_data(as_text=True)
    assert '<option selected value="2">' in html or 'value="2" selected' in html
    assert "Count one response per member organisation" in html


def test_manager_fills_in_the_fact_sheet_and_it_shows_beside_the_results(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, bank_version="2", close=True)
    login(client, manager_of(cluster))
    form = client.get(_url(cluster, rnd, "/facts")).get_data(as_text=True)
    assert "Staff of the cluster organisation (full-time equivalents)" in form
    bad = client.post(_url(cluster, rnd, "/facts"), data={"fact_staff_fte": "-2", "fact_funding_public_share": "140",
                                                          "fact_strategy_written": "maybe", "fact_members_total": "12"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter a number from 0 to 1,000,000." in html and "Choose yes or no." in html
    assert 'value="12"' in html  # what was typed is kept
    assert db.session.execute(select(FactSheet)).first() is None
    good = client.post(_url(cluster, rnd, "/facts"), data={"fact_staff_fte": "2.5", "fact_funding_public_share": "40",
                                                           "fact_strategy_written": "yes", "fact_label_held": "Bronze"})
    assert good.status_code == 302
    sheet = db.session.execute(select(FactSheet)).scalar_one()
    assert sheet.facts == {"staff_fte": 2.5, "funding_public_share": 40, "strategy_written": True, "label_held": "Bronze"}
    page = client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    assert "Fact sheet from the cluster office" in page and "40 %" in page and "Bronze" in page


def test_the_fact_sheet_is_for_managers_of_this_cluster_and_v2_rounds_only(client) -> None:  # type: ignore[no-untyped-def]
    cluster, other = create_cluster(), create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, bank_version="2")
    v1 = seed_round(cluster, [("sme", 4)] * 3)
    member = add_member(cluster)
    login(client, member.user)
    assert client.get(_url(cluster, rnd, "/facts")).status_code == 403
    client.post("/logout")
    login(client, manager_of(other))
    assert client.get(f"/clusters/{other.id}/innovativeness/rounds/{rnd.id}/facts").status_code == 404
    client.post("/logout")
    login(client, manager_of(cluster))
    assert client.get(_url(cluster, v1, "/facts")).status_code == 404


def test_results_page_shows_the_median_headline_interval_and_notices(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    for _ in range(8):
        add_member(cluster)  # invited but silent: 3 of 12 answer, 25 %
    rnd = seed_round(cluster, [("sme", 4)] * 3, bank_version="2", close=True, agree=True)
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    assert "How well does the cluster support innovation? — respondents&#39; view (median)" in html
    assert "90% interval" in html and "<td>75–75</td>" in html
    assert "Indicative results." in html
    assert "Low response rate." in html
    assert "Data quality: internal consistency" in html


def test_cluster_office_answers_are_shown_apart(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2)] * 3, bank_version="2")
    office = db.session.execute(
        select(Participant).where(Participant.round_id == rnd.id, Participant.cluster_office.is_(True))
    ).scalar_one()  # the manager, invited with everyone
    office.set_answers({s.key: 5 for s in V2.statements}, V2)
    from core.api import utcnow

    office.submitted_at = utcnow()
    rnd.answers_version += 1
    db.session.commit()
    results = round_results(rnd)
    assert results.respondents == 3 and results.office.n == 1
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    assert "1 answer from cluster-office staff is not counted above" in html


def test_a_round_can_count_one_response_per_organisation(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    people = [add_member(cluster, organisation_name="Acme SA") for _ in range(3)]
    others = [add_member(cluster, organisation_name=name) for name in ("Beta", "Gamma", " gamma ")]
    rnd = open_round(cluster, manager_of(cluster), bank_version="2", one_per_organisation=True)
    rows = {p.membership_id: p for p in db.session.execute(select(Participant).where(Participant.round_id == rnd.id)).scalars()}
    assert len({rows[m.id].organisation_key for m in people}) == 1
    assert rows[others[1].id].organisation_key == rows[others[2].id].organisation_key  # case and spaces ignored
    from core.api import utcnow

    for membership, value in [(m, 5) for m in people] + [(m, 1) for m in others]:
        rows[membership.id].set_answers({s.key: 6 - value if s.reverse else value for s in V2.statements}, V2)
        rows[membership.id].submitted_at = utcnow()
    rnd.answers_version += 1
    db.session.commit()
    results = round_results(rnd)
    assert results.one_per_organisation and results.respondents == 3 and results.people == 6
    assert results.drivers["D1"].median == 0  # Acme counts once against Beta and Gamma


def test_a_v2_round_compares_with_a_v1_round_only_on_drivers_that_carry_over() -> None:
    cluster = create_cluster()
    seed_round(cluster, [("sme", 2)] * 3, title="Old", close=True, agree=True)
    new = seed_round(cluster, [("sme", 4)] * 3, title="New", bank_version="2", close=True, agree=True)
    comparison = comparison_with_previous(new, round_results(new))
    assert comparison is not None and comparison.other_version == "1"
    assert comparison.deltas["D9"] == 50 and comparison.deltas["D17"] is None
    assert comparison.overall_delta is None  # different statements: no overall change claimed
    from plugins.innovativeness.exports import results_document

    document = results_document(new)
    assert document["previous_round"]["bank_version"] == "1" and document["previous_round"]["compared_on"] == "median"
    d9 = next(d for d in document["drivers"] if d["key"] == "D9")
    assert d9["delta"] == 50 and d9["median_interval_90"] == [75, 75]


def test_a_weak_statement_triggers_its_action_even_when_the_driver_is_not_weak() -> None:
    from core.api import ClusterContext

    cluster = create_cluster()
    # D9 scores (3 x 100 + 25) / 4 = 81 (not weak), but "familiar partners only" (D9.4, reverse)
    # is agreed with (4, i.e. 25 points); D1-D3 at 75 are the three weakest drivers.
    lower = {s.key: (2 if s.reverse else 4) for d in ("D1", "D2", "D3") for s in V2.driver(d).statements}
    seed_round(cluster, [("sme", 5)] * 3, bank_version="2", close=True, agree=True, answers=lower | {"D9.4": 4})
    manager = manager_of(cluster)
    from core.clusters.models import Membership

    membership = db.session.execute(select(Membership).where(Membership.cluster_id == cluster.id, Membership.role == "manager")).scalar_one()
    context = ClusterContext(cluster.id, cluster.name, manager.id, "manager", "intermediary", membership.id)
    drafted = recommendations(context)
    closeness = [r for r in drafted if r.key == "innovativeness-D9-statements"]
    assert closeness, [r.key for r in drafted]
    assert "D9.4" in closeness[0].rationale and any(a.startswith("Open the circle:") for a in closeness[0].actions)
    assert "Molina-Morales" in closeness[0].source


def _pdf_words(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_round_pdf_says_what_is_measured_and_carries_the_new_figures(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, bank_version="2", close=True, agree=True)
    login(client, manager_of(cluster))
    client.post(_url(cluster, rnd, "/facts"), data={"fact_staff_fte": "3"})
    response = client.get(_url(cluster, rnd, "/results.pdf"))
    assert response.status_code == 200
    text = _pdf_words(response.data)
    for expected in ("respondents' view (median)", "not a measure of the cluster's innovativeness",
                     "90% interval", "Indicative results", "Fact sheet from the cluster office",
                     "Data quality: internal consistency"):
        assert expected in text, expected


def test_the_quick_test_pdf_is_framed_as_one_persons_view(client) -> None:  # type: ignore[no-untyped-def]
    from tests.plugins.innovativeness.helpers import QUICK_PAGES, quick_page_form

    token = client.post("/tools/innovativeness/quick").headers["Location"].split("/quick/")[1].split("/")[0]
    for number in range(1, len(QUICK_PAGES) + 1):
        client.post(f"/tools/innovativeness/quick/{token}/page/{number}", data=quick_page_form(number, 4))
    text = _pdf_words(client.get(f"/tools/innovativeness/quick/{token}/result.pdf").data)
    assert "How well does your cluster support innovation? — your view" in text
    assert "own synthesis" in text and "Indicator to follow" in text
