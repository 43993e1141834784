"""The element definitions file: seven elements, guiding questions, citation and licence."""

import pytest
import yaml

from plugins.canvas.elements import DATA_FILE, framework, parse_framework


def test_the_data_file_defines_the_seven_elements_in_order():
    fw = framework()
    assert fw.keys == ("actors", "resources", "flows", "governance", "propositions", "activities", "vision")
    assert [e.number for e in fw.elements] == list(range(1, 8))


def test_every_element_has_a_definition_and_two_to_four_questions():
    for element in framework().elements:
        assert len(element.definition) > 40
        assert 2 <= len(element.questions) <= 4
        assert all(q.endswith("?") for q in element.questions)


def test_the_first_six_elements_come_from_the_cited_paper_and_the_seventh_is_ours():
    assert [e.from_paper for e in framework().elements] == [True] * 6 + [False]


def test_the_file_is_versioned_and_cites_the_source_and_licence():
    fw = framework()
    assert fw.version
    assert fw.citation.doi == "10.1163/21971927-bja10012"
    assert "Triple Helix 8: 80–127" in fw.citation.text
    assert "Lupova-Henry" in fw.citation.authors
    assert fw.licence.name == "CC BY-NC 2.0"


def test_the_source_paper_keeps_its_own_licence_apart_from_our_adaptation():
    """The paper is CC BY 4.0; our canvas and guide are CC BY-NC 2.0. CC BY
    asks an adaptation to say what it changed."""
    fw = framework()
    assert fw.citation.licence == "CC BY 4.0"
    assert fw.citation.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert fw.changes.startswith("Changes made:")
    assert "CC BY 4.0" in fw.source_notice and "Changes made:" in fw.source_notice
    assert "Our adaptation" in fw.licence.line and "non-commercial" in fw.licence.line


def test_an_adapted_cc_by_source_without_a_changes_notice_is_refused():
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    del raw["changes"]
    with pytest.raises(ValueError, match="changes"):
        parse_framework(raw)


def test_a_file_with_too_many_questions_is_refused():
    raw = {
        "version": "x", "title": "t", "attribution": "a",
        "citation": {"authors": "a", "year": 1, "title": "t", "journal": "j", "volume": "1", "pages": "1",
                     "doi": "d", "url": "u"},
        "licence": {"name": "n", "url": "u", "line": "l"},
        "elements": [{"key": "k", "number": 1, "title": "T", "definition": "d",
                      "questions": ["a?", "b?", "c?", "d?", "e?"]}],
    }
    with pytest.raises(ValueError, match="2 to 4"):
        parse_framework(raw)
