"""The brief's forms (Flask-WTF: every form carries a CSRF token; limits as in ``editing``)."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from core.api import FlaskForm
from engagements.briefs.editing import FIELD_MAX, MINUTES_MAX, MINUTES_MIN, ItemChange
from engagements.briefs.sharing import COMMENT_MAX


class VersionForm(FlaskForm):
    """A button acting on the version the page showed (``base_number``) and, if any, one item."""

    base_number = IntegerField(validators=[InputRequired()])
    key = HiddenField()


class MinutesField(IntegerField):
    """Whole minutes; text that is no number gets one clear message (the range check then
    stays silent instead of adding a second one)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None  # type: ignore[assignment]
                raise ValueError(RANGE_MESSAGE) from None


def _in_range(form: FlaskForm, field: IntegerField) -> None:
    if field.data is not None and not MINUTES_MIN <= field.data <= MINUTES_MAX:
        raise StopValidation(RANGE_MESSAGE)


RANGE_MESSAGE = f"Type the time box as a whole number of minutes, {MINUTES_MIN} to {MINUTES_MAX}."


class ItemForm(VersionForm):
    title = StringField("Title", validators=[InputRequired(), Length(max=FIELD_MAX["title"])])
    question = TextAreaField("Question to discuss", validators=[Length(max=FIELD_MAX["question"])])
    exercise = TextAreaField("Exercise", validators=[Length(max=FIELD_MAX["exercise"])])
    minutes = MinutesField("Time box (minutes)", validators=[InputRequired(message=RANGE_MESSAGE), _in_range])
    decision_sought = TextAreaField("Decision sought", validators=[Length(max=FIELD_MAX["decision_sought"])])

    def change(self) -> ItemChange:
        return ItemChange(self.title.data or "", self.question.data or "", self.exercise.data or "",
                          int(self.minutes.data or 0), self.decision_sought.data or "")


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your comment", validators=[InputRequired(), Length(max=COMMENT_MAX)],
        description=f"Plain text, at most {COMMENT_MAX} characters. Your consultant reads it on their console.",
    )


class OutcomesForm(FlaskForm):
    """The CSRF token and the agenda version the form was built from; the per-item fields
    (``decision-<n>``, ``owner-<n>``, ``due-<n>``) are read from the request and matched to
    their item by the hidden ``key-<n>`` (so an item's key never becomes a field name)."""

    agenda_version = IntegerField(validators=[Optional()])
