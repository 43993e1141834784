"""Round results, exports and the benchmark over HTTP."""

from __future__ import annotations

import csv
import io

from core.api import db
from plugins.innovativeness.models import AssessmentRound
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.innovativeness.helpers import seed_round


def _url(cluster, rnd, suffix: str = "/results") -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}{suffix}"


def test_manager_reads_median_mean_iqr_and_n(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)])
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "3 respondents," in html and "(s)" not in html
    assert "Median" in html and "IQR" in html
    assert "<svg" in html and 'role="img"' in html


def test_results_stay_hidden_below_three_respondents(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2), ("university", 4)])
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "Not enough answers to show results yet" in html
    assert "<svg" not in html


def test_member_reads_results_only_once_published(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = seed_round(cluster, [("sme", 3)] * 3, close=True)
    login(client, member.user)
    assert client.get(_url(cluster, rnd)).status_code == 403
    assert client.get(_url(cluster, rnd, "/results.json")).status_code == 403
    rnd = db.session.get(AssessmentRound, rnd.id)
    rnd.published_at = rnd.closed_at
    db.session.commit()
    assert client.get(_url(cluster, rnd)).status_code == 200


def test_manager_publishes_results(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3)
    login(client, manager_of(cluster))
    client.post(_url(cluster, rnd, "/publish"), data={"publish": "1"})
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).published_at is not None


def test_small_actor_type_groups_are_hidden_with_an_explanation(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3 + [("university", 2)] * 3 + [("investor", 1)])
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "SME <small>(n=3)</small>" in html and "University <small>(n=3)</small>" in html
    assert "Investor <small>" not in html
    assert "1 respondent belongs to actor types with fewer than 3 respondents" in html and "(s)" not in html


def test_actor_types_far_apart_raise_a_divergence_flag(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 5)] * 3 + [("university", 2)] * 3)
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "SME members score it" in html and "higher than University members" in html


def test_second_round_shows_deltas_against_the_first(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    seed_round(cluster, [("sme", 3)] * 3, title="First", close=True)
    second = seed_round(cluster, [("sme", 4)] * 3, title="Second")
    login(client, manager_of(cluster))
    document = client.get(_url(cluster, second, "/results.json")).get_json()
    assert document["previous_round"]["title"] == "First"
    d7 = next(d for d in document["drivers"] if d["key"] == "D7")
    assert d7["delta"] == 25.0


def test_json_export_has_every_driver_and_no_names(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, anonymous=False)
    login(client, manager_of(cluster))
    response = client.get(_url(cluster, rnd, "/results.json"))
    document = response.get_json()
    assert len(document["drivers"]) == 16
    assert document["respondents"] == 3
    assert "@" not in response.get_data(as_text=True)


def test_csv_export_is_anonymised(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3 + [("investor", 2)])
    login(client, manager_of(cluster))
    response = client.get(_url(cluster, rnd, "/answers.csv"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["respondent", "actor_type", "D1.1"]
    assert sorted(r[1] for r in rows[1:]) == ["sme", "sme", "sme", "withheld (group under 3)"]
    assert [r[0] for r in rows[1:]] == ["R1", "R2", "R3", "R4"]
    assert "@" not in response.get_data(as_text=True)


def test_exports_are_refused_below_three_respondents(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 2)
    login(client, manager_of(cluster))
    assert client.get(_url(cluster, rnd, "/answers.csv")).status_code == 409
    assert client.get(_url(cluster, rnd, "/results.pdf")).status_code == 409
    assert client.get(_url(cluster, rnd, "/results.json")).get_json()["visible"] is False


def test_pdf_export_renders(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, close=True)
    login(client, manager_of(cluster))
    response = client.get(_url(cluster, rnd, "/results.pdf"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def _sharing_cluster(value: int):  # type: ignore[no-untyped-def]
    from plugins.innovativeness.benchmark import set_sharing

    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", value)] * 3, close=True)
    set_sharing(cluster.id, manager_of(cluster).id, True)
    return cluster, rnd


def test_benchmark_waits_for_ten_clusters_of_the_same_bank_version(client) -> None:  # type: ignore[no-untyped-def]
    clusters = [_sharing_cluster(v) for v in (1, 2, 3, 4, 5, 1, 2, 3, 5)]
    cluster, rnd = clusters[-1]
    login(client, manager_of(cluster))
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "9 clusters share a closed round of question bank version 1 so far" in html and "(s)" not in html
    assert "top quarter" not in html


def test_benchmark_shows_only_this_clusters_quartile_band(client) -> None:  # type: ignore[no-untyped-def]
    clusters = [_sharing_cluster(v) for v in (1, 2, 3, 4, 5, 1, 2, 3, 4, 5)]
    top, top_round = clusters[-1]
    login(client, manager_of(top))
    html = client.get(_url(top, top_round)).get_data(as_text=True)
    assert "<td>top quarter</td>" in html and "lowest quarter" not in html
    for other, _ in clusters[:-1]:
        assert other.name not in html
    bottom, bottom_round = clusters[5]
    client.post("/logout")
    login(client, manager_of(bottom))
    assert "<td>lowest quarter</td>" in client.get(_url(bottom, bottom_round)).get_data(as_text=True)


def test_benchmark_never_mixes_bank_versions_and_can_keep_to_the_same_stage() -> None:
    from plugins.innovativeness.benchmark import benchmark_position

    clusters = [_sharing_cluster(v) for v in (1, 2, 3, 4, 5, 1, 2, 3, 4, 5)]
    own = clusters[-1][0]
    assert benchmark_position(own.id, "1").available
    assert benchmark_position(own.id, "1").bands["D1"] == "top quarter"
    other_version = benchmark_position(own.id, "2")
    assert other_version.sharing_clusters == 0 and not other_version.available and other_version.bands == {}
    for cluster, _ in clusters[:4]:
        cluster.stage = "mature"
    own.stage = "mature"
    db.session.commit()
    same_stage = benchmark_position(own.id, "1", same_stage=True)
    assert same_stage.stage == "mature" and same_stage.sharing_clusters == 5 and not same_stage.available


def test_manager_opts_in_and_out_of_the_benchmark(client) -> None:  # type: ignore[no-untyped-def]
    from plugins.innovativeness.benchmark import is_sharing

    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/innovativeness/benchmark", data={"share": "y"})
    assert is_sharing(cluster.id)
    client.post(f"/clusters/{cluster.id}/innovativeness/benchmark", data={})
    assert not is_sharing(cluster.id)


def test_anonymous_round_shows_results_only_after_closing(client) -> None:  # type: ignore[no-untyped-def]
    """Comparing interim results before and after one submission would reveal that person's answers."""
    from plugins.innovativeness.rounds import close_round

    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, anonymous=True)
    login(client, manager_of(cluster))
    for suffix in ("/results", "/results.json", "/answers.csv", "/results.pdf"):
        assert client.get(_url(cluster, rnd, suffix)).status_code == 403, suffix
    close_round(db.session.get(AssessmentRound, rnd.id))
    assert client.get(_url(cluster, rnd)).status_code == 200


def test_named_round_results_can_be_followed_while_open(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, anonymous=False)
    login(client, manager_of(cluster))
    assert client.get(_url(cluster, rnd)).status_code == 200


def test_first_publication_emails_the_invited_members(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3, close=True)
    member = add_member(cluster)  # joined after the round: not invited, not told
    mail.clear()
    login(client, manager_of(cluster))
    client.post(_url(cluster, rnd, "/publish"), data={"publish": "1"})
    invited = [m for m in mail.messages if "are available" in str(m["Subject"])]
    assert len(invited) == 4
    assert f"/rounds/{rnd.id}/results" in mail.text_of(invited[0])
    assert mail.to(member.user.email) == []


def test_opting_in_to_the_benchmark_shows_at_once_on_the_cached_results_page(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, close=True)
    login(client, manager_of(cluster))
    assert "does not share its results" in client.get(_url(cluster, rnd)).get_data(as_text=True)
    client.post(f"/clusters/{cluster.id}/innovativeness/benchmark", data={"share": "y"})
    html = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "does not share its results" not in html and "1 cluster shares a closed round" in html
    client.post(f"/clusters/{cluster.id}/innovativeness/benchmark", data={})
    assert "does not share its results" in client.get(_url(cluster, rnd)).get_data(as_text=True)
