"""The question bank is data; a bad entry must stop start-up with its name."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from plugins.innovativeness import bank
from plugins.innovativeness.bank import BankError, parse_bank

V1 = yaml.safe_load((bank.BANKS_DIR / "v1.yaml").read_text(encoding="utf-8"))


def _v1() -> dict:
    return copy.deepcopy(V1)


def test_shipped_bank_has_sixteen_drivers_over_six_elements() -> None:
    b = bank.get_bank("1")
    assert len(b.drivers) == 16
    assert {e.key for e in b.elements} == set(bank.ELEMENTS)
    assert all(3 <= len(d.statements) <= 5 for d in b.drivers)
    assert all(2 <= len(d.recommendations) <= 4 for d in b.drivers)
    assert any(s.reverse for s in b.statements)
    assert all(b.citations(d) for d in b.drivers)


def test_latest_bank_is_the_highest_version() -> None:
    assert bank.latest_bank().version == bank.bank_versions()[-1]


def test_statement_with_bad_weight_is_named() -> None:
    data = _v1()
    data["elements"][0]["drivers"][1]["statements"][2]["weight"] = "heavy"
    with pytest.raises(BankError, match=r"driver D2 statement D2\.3: 'weight' must be a number"):
        parse_bank(data, "v1.yaml")


def test_driver_with_too_few_statements_is_named() -> None:
    data = _v1()
    data["elements"][2]["drivers"][0]["statements"] = data["elements"][2]["drivers"][0]["statements"][:2]
    with pytest.raises(BankError, match=r"driver D9: needs 3-5 statements, found 2"):
        parse_bank(data, "v1.yaml")


def test_driver_with_too_many_recommendations_is_named() -> None:
    data = _v1()
    recs = data["elements"][3]["drivers"][0]["recommendations"]
    data["elements"][3]["drivers"][0]["recommendations"] = recs + recs
    with pytest.raises(BankError, match=r"driver D12: needs 2-4 recommendations"):
        parse_bank(data, "v1.yaml")


def test_unknown_source_is_named() -> None:
    data = _v1()
    data["elements"][4]["drivers"][0]["sources"].append("nobody1999")
    with pytest.raises(BankError, match=r"driver D15: source 'nobody1999' is not listed"):
        parse_bank(data, "v1.yaml")


def test_duplicate_statement_key_is_named() -> None:
    data = _v1()
    statements = data["elements"][0]["drivers"][0]["statements"]
    statements[1]["key"] = statements[0]["key"]
    with pytest.raises(BankError, match=r"statement D1\.1: duplicate statement key"):
        parse_bank(data, "v1.yaml")


def test_reverse_flag_must_be_boolean() -> None:
    data = _v1()
    data["elements"][0]["drivers"][0]["statements"][3]["reverse"] = "yes"
    with pytest.raises(BankError, match=r"D1\.4: 'reverse' must be true or false"):
        parse_bank(data, "v1.yaml")


def test_missing_element_is_refused() -> None:
    data = _v1()
    data["elements"][5]["key"] = "actors"
    with pytest.raises(BankError):
        parse_bank(data, "v1.yaml")


def test_two_files_with_one_version_are_refused(tmp_path: Path) -> None:
    text = (bank.BANKS_DIR / "v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BankError, match=r"b\.yaml: version 1 is already defined"):
        bank.load_registry(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"broken\.yaml: is not valid YAML"):
        bank.load_registry(tmp_path)


def test_plugin_refuses_to_load_with_a_bad_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import plugins.innovativeness.plugin as plugin_module

    data = _v1()
    data["elements"][1]["drivers"][2]["statements"][0]["text"] = ""
    (tmp_path / "v1.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(bank, "BANKS_DIR", tmp_path)
    try:
        with pytest.raises(BankError, match=r"v1\.yaml \(version 1\) element resources driver D7 statement D7\.1: 'text'"):
            importlib.reload(plugin_module)
    finally:
        monkeypatch.undo()
        importlib.reload(plugin_module)


@pytest.mark.parametrize("version", bank.bank_versions())
def test_every_reference_has_a_doi_or_a_dated_url_and_is_cited(version: str) -> None:
    b = bank.get_bank(version)
    cited = {k for d in b.drivers for k in d.sources} | {
        r.source for d in b.drivers for r in d.recommendations if r.source and r.source != bank.PRACTICE
    }
    for key, ref in b.sources.items():
        assert ref.doi.startswith("10.") or (ref.url.startswith("https://") and ref.accessed), key
        assert key in cited, f"{key} is listed but cited nowhere"
        assert b.references[key] == ref.citation


def test_grimbert_2024_carries_the_title_initials_and_doi_of_the_record() -> None:
    ref = bank.get_bank("1").sources["grimbert2024"]
    assert ref.text.startswith("Grimbert, S. F., Wilson, J. R., Amores Bravo, X. & Pezzi, A. (2024).")
    assert "Collective shared value creation as emergent strategy for cluster management organizations" in ref.text
    assert "Competitiveness Review 34(3), 559-577" in ref.text
    assert ref.doi == "10.1108/CR-07-2022-0103"


def test_details_the_records_did_not_confirm_are_marked_to_be_checked() -> None:
    b = bank.get_bank("1")
    for key in ("menzel2010", "molina2009", "dhanaraj2006", "maskell2006"):
        assert b.sources[key].to_check, key
        assert "[To be checked:" in b.references[key]
    assert "year" in b.sources["maskell2006"].to_check


def test_a_reference_without_doi_or_dated_url_is_named() -> None:
    data = _v1()
    data["references"]["esca"] = {"text": "ESCA web site", "url": "https://eucles.be"}
    with pytest.raises(BankError, match=r"reference esca: 'accessed' must be a date"):
        parse_bank(data, "v1.yaml")
    data["references"]["esca"] = "A bare line of text"
    with pytest.raises(BankError, match=r"reference esca: must be a mapping"):
        parse_bank(data, "v1.yaml")


V2 = yaml.safe_load((bank.BANKS_DIR / "v2.yaml").read_text(encoding="utf-8"))


def _v2() -> dict:
    return copy.deepcopy(V2)


def _driver(data: dict, key: str) -> dict:
    return next(d for e in data["elements"] for d in e["drivers"] if d["key"] == key)


def test_bank_v2_is_the_latest_and_says_what_it_measures() -> None:
    b = bank.get_bank("2")
    assert bank.latest_bank() is b
    assert "not a measure of the cluster's innovativeness" in b.scope
    assert "own synthesis" in b.scope
    assert {e.key for e in b.elements} == set(bank.ELEMENTS)


def test_bank_v2_gives_every_driver_a_plain_reverse_item_and_equal_weights() -> None:
    b = bank.get_bank("2")
    assert all(any(s.reverse for s in d.statements) for d in b.drivers)
    assert all(d.weight == 1 for d in b.drivers) and all(s.weight == 1 for s in b.statements)
    for s in (s for s in b.statements if s.reverse):  # agreeing plainly means a weakness: no negation
        words = f" {s.text.lower()} "
        assert " never " not in words and "n't" not in words and " not " not in words and " no " not in words, s.key


def test_bank_v2_drops_the_statements_issue_13_named() -> None:
    """Double-barrelled, presupposing and office-only statements of v1 are gone or split."""
    v2_texts = {s.text for s in bank.get_bank("2").statements}
    v1 = bank.get_bank("1")
    for key in ("D1.4", "D3.1", "D11.2", "D12.3", "D13.1", "D13.2", "D13.3", "D13.5", "D6.5", "D14.4", "D16.4",
                "D1.3", "D8.2", "D13.4", "D14.1", "D14.3"):
        assert v1.statements_by_key[key].text not in v2_texts, key


def test_bank_v2_covers_the_dimensions_frameworks_add() -> None:
    b = bank.get_bank("2")
    titles = " ".join(d.title.lower() for d in b.drivers)
    for words in ("green and digital", "results for members", "participation and satisfaction", "region and society"):
        assert words in titles
    facts = {f.key for f in b.facts}
    assert {"funding_sources", "funding_secured_years", "international_partnerships", "members_new_2y"} <= facts


def test_every_v2_recommendation_has_a_basis_an_indicator_and_d9_guards_against_closeness() -> None:
    b = bank.get_bank("2")
    for d in b.drivers:
        for r in d.recommendations:
            assert r.source and r.indicator, (d.key, r.title)
            assert all(t in b.statements_by_key for t in r.triggers)
    closeness = [r for r in b.driver("D9").recommendations if "D9.4" in r.triggers]
    assert closeness and closeness[0].source == "molina2009"
    assert any(r.triggers for d in b.drivers for r in d.recommendations)


def test_v2_refuses_an_unexplained_weight_an_action_without_indicator_and_an_unknown_trigger() -> None:
    data = _v2()
    _driver(data, "D2")["weight"] = 1.5
    with pytest.raises(BankError, match=r"driver D2: a weight other than 1 needs a documented 'weight_reason'"):
        parse_bank(data, "v2.yaml")
    _driver(data, "D2")["weight_reason"] = "Doubled because members asked for it"
    assert parse_bank(data, "v2.yaml").driver("D2").weight == 1.5
    data = _v2()
    del _driver(data, "D3")["recommendations"][0]["indicator"]
    with pytest.raises(BankError, match=r"driver D3 recommendation 1: needs an 'indicator'"):
        parse_bank(data, "v2.yaml")
    data = _v2()
    _driver(data, "D4")["recommendations"][0]["triggers"] = ["D4.9"]
    with pytest.raises(BankError, match=r"triggered by unknown statement\(s\) D4.9"):
        parse_bank(data, "v2.yaml")
    data = _v2()
    _driver(data, "D4")["recommendations"][0]["source"] = "folklore"
    with pytest.raises(BankError, match=r"source 'folklore' is neither a listed reference nor 'practice'"):
        parse_bank(data, "v2.yaml")


def test_drivers_map_across_versions_only_where_declared() -> None:
    v1, v2 = bank.get_bank("1"), bank.get_bank("2")
    mapping = bank.driver_mapping(v2, v1)
    assert mapping["D9"] == "D9" and mapping["D16"] == "D16"
    assert not {"D17", "D18", "D19", "D20"} & set(mapping)
    assert bank.driver_mapping(v1, v1) == {d.key: d.key for d in v1.drivers}
    assert bank.driver_mapping(v1, v2) == {}
