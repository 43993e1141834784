"""Forms with field-level messages; services re-check the same limits."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.api import FlaskForm
from plugins.canvas.models import EXPLANATION_MAX, TEXT_MAX, TITLE_MAX


class CanvasForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the canvas a title."), Length(max=TITLE_MAX)],
        description="For example “As-is 2026” or “To-be 2030”.",
    )
    description = TextAreaField("What is this canvas about?", validators=[Optional(), Length(max=2000)])
    anonymous = BooleanField("Anonymous contributions (notes show no organisation type)")


class SettingsForm(CanvasForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class DuplicateForm(FlaskForm):
    title = StringField(
        "Title of the new canvas", validators=[DataRequired("Give the new canvas a title."), Length(max=TITLE_MAX)]
    )


class NoteForm(FlaskForm):
    element = HiddenField(validators=[DataRequired()])
    text = TextAreaField(
        "Note",
        validators=[
            DataRequired("Write a short note before adding it."),
            Length(max=TEXT_MAX, message=f"A note can have at most {TEXT_MAX} characters."),
        ],
        description=f"One idea, up to {TEXT_MAX} characters.",
    )
    explanation = TextAreaField(
        "Explanation (optional)",
        validators=[
            Optional(),
            Length(max=EXPLANATION_MAX, message=f"The explanation can have at most {EXPLANATION_MAX} characters."),
        ],
    )


class EditNoteForm(NoteForm):
    element = HiddenField()
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class MergeForm(FlaskForm):
    text = TextAreaField(
        "Text of the merged note",
        validators=[
            DataRequired("Write the text of the merged note."),
            Length(max=TEXT_MAX, message=f"A note can have at most {TEXT_MAX} characters."),
        ],
    )
    explanation = TextAreaField(
        "Explanation (optional)",
        validators=[
            Optional(),
            Length(max=EXPLANATION_MAX, message=f"The explanation can have at most {EXPLANATION_MAX} characters."),
        ],
    )
