"""Forms of the self-assessment (Flask-WTF: CSRF on every form).

Questionnaire pages are parsed by ``questionnaire.parse_page`` because their
fields come from the bank; they still post the CSRF token of ``ActionForm``.
"""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.api import FlaskForm


class ActionForm(FlaskForm):
    """No fields: carries the CSRF token of a button or a questionnaire page."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the round a title."), Length(max=160)])
    bank_version = SelectField("Question bank version", validators=[InputRequired()])
    closes_on = DateField(
        "Closing date",
        validators=[DataRequired(message="Choose the last day members can answer.")],
        description="Members can answer and change their answers until the end of this day (UTC).",
    )
    anonymous = BooleanField(
        "Anonymous round",
        default=True,
        description="In an anonymous round nobody, managers included, sees who answered what.",
    )
    one_per_organisation = BooleanField(
        "Count one response per member organisation",
        default=False,
        description="When several people of one organisation answer, their scores are averaged into one response, "
        "so that large organisations do not weigh more than small ones.",
    )
    invite = RadioField(
        "Invite",
        choices=[("all", "All members"), ("selected", "Only the members ticked below")],
        default="all",
        validators=[InputRequired()],
    )
    members = MultiCheckboxField("Members", coerce=int)

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and field.data <= date.today():
            raise ValidationError("The closing date must be after today.")

    def validate_members(self, field: MultiCheckboxField) -> None:
        if self.invite.data == "selected" and not field.data:
            raise ValidationError("Tick at least one member, or invite all members.")


class SaveResultForm(FlaskForm):
    cluster_id = SelectField("Cluster workspace", coerce=int, validators=[InputRequired(message="Choose a workspace.")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=500)])


class BenchmarkForm(FlaskForm):
    share = BooleanField("Share this cluster's anonymised round results with the benchmark")
