"""Numbers in sentences: no "respondent(s)", no "-0"."""

import pytest

from core.wording import counted, signed_change


@pytest.mark.parametrize("count, expected", [(0, "0 respondents"), (1, "1 respondent"), (3, "3 respondents")])
def test_counted_chooses_singular_or_plural(count, expected):
    assert counted(count, "respondent") == expected


def test_counted_takes_an_irregular_plural():
    assert counted(2, "person", "people") == "2 people"


@pytest.mark.parametrize("value, expected", [(2.6, "+3"), (-2.6, "-3"), (-0.3, "0"), (0.4, "0"), (0.0, "0"), (None, "–")])
def test_signed_change_never_reads_minus_zero(value, expected):
    assert signed_change(value) == expected


def test_signed_change_filter_is_available_to_templates(app):
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ -0.2 | signed_change }} {{ 1 | counted('note') }}").render() == "0 1 note"


def test_a_title_is_quoted_once_in_pages_and_mails(app):
    from core.api import quoted

    assert quoted(" Members join ") == "“Members join”"
    assert quoted("“Members join” (Value propositions)") == "“Members join” (Value propositions)"
    with app.test_request_context():
        rendered = app.jinja_env.from_string("Drop {{ t | quoted }}?").render(t="“A note” <b>")
    assert rendered == "Drop “A note” &lt;b&gt;?"  # no doubled quotes, still escaped
