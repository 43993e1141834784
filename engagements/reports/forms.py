"""The report editor and the small report forms (Flask-WTF: each page form carries a CSRF token).

The editor works without JavaScript and with a keyboard: recommendations are
reordered by their position numbers, removed with a tick box, and one blank
recommendation at the end adds a new one.
"""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core.api import FlaskForm
from engagements.reports.content import ReportContent
from engagements.reports.editing import FIELD_MAX, TEXT_MAX, RecommendationChange, ReportEdit

PRIORITY_CHOICES = [
    (1, "1 — most urgent"),
    (2, "2 — urgent"),
    (3, "3 — important"),
    (4, "4 — useful"),
    (5, "5 — when time allows"),
]


class RecommendationForm(Form):
    key = HiddenField()
    position = IntegerField("Position", validators=[Optional(), NumberRange(min=1, max=99)],
                            description="Lower numbers are printed first.")
    remove = BooleanField("Remove this recommendation")
    title = StringField("Title", validators=[Length(max=FIELD_MAX["title"])])
    rationale = TextAreaField("Rationale", validators=[Length(max=FIELD_MAX["rationale"])])
    actions = TextAreaField("Actions", validators=[Length(max=10_000)], description="One action per line.")
    priority = SelectField("Priority", choices=PRIORITY_CHOICES, coerce=int, default=3)
    owner_role = StringField("Owner role", validators=[Length(max=FIELD_MAX["owner_role"])],
                             description="Who carries it out, e.g. Cluster manager.")
    horizon = StringField("Horizon", validators=[Length(max=FIELD_MAX["horizon"])],
                          description="When, e.g. 0–6 months.")
    indicator = StringField("Indicator", validators=[Length(max=FIELD_MAX["indicator"])],
                            description="What to measure to see progress.")


class CommentForm(Form):
    key = HiddenField()
    comment = TextAreaField("Your comment under this section", validators=[Length(max=TEXT_MAX)])


class ReportEditForm(FlaskForm):
    base_number = IntegerField(validators=[InputRequired()])
    introduction = TextAreaField("Introduction", validators=[Length(max=TEXT_MAX)],
                                 description="Printed before the executive summary.")
    comments = FieldList(FormField(CommentForm))
    recommendations = FieldList(FormField(RecommendationForm))
    new = FormField(RecommendationForm, label="Add a recommendation")
    closing_notes = TextAreaField("Closing notes", validators=[Length(max=TEXT_MAX)],
                                  description="Printed after the action plan.")


class DeliverForm(FlaskForm):
    confirm = BooleanField("I have read this version and want to send it to the cluster",
                           validators=[InputRequired(message="Tick the box to confirm the delivery.")])


class SharingForm(FlaskForm):
    members_can_read = BooleanField("Members of the cluster may read the delivered report")


def editor_data(content: ReportContent, base_number: int) -> dict[str, Any]:
    """The editor's initial values for ``content`` (version ``base_number``)."""
    return {
        "base_number": base_number,
        "introduction": content.introduction,
        "closing_notes": content.closing_notes,
        "comments": [{"key": s.key, "comment": s.comment} for s in content.sections],
        "recommendations": [
            {
                "key": r.key,
                "position": i,
                "title": r.title,
                "rationale": r.rationale,
                "actions": "\n".join(r.actions),
                "priority": r.priority,
                "owner_role": r.owner_role,
                "horizon": r.horizon,
                "indicator": r.indicator,
            }
            for i, r in enumerate(content.recommendations, start=1)
        ],
        "new": {"position": len(content.recommendations) + 1, "priority": 3},
    }


def edit_from_form(form: ReportEditForm) -> ReportEdit:
    """The ``ReportEdit`` the submitted editor describes (order by position, then as listed)."""
    # Sort key: (position, 0 if the editor moved it there else 1, listed order), so a
    # recommendation moved to position 1 goes before the one that was already there.
    entries = []
    listed = form.recommendations.entries
    for index, sub in enumerate(listed):
        data = sub.form.data
        if not data["remove"]:
            position = data["position"] or index + 1
            entries.append((position, 0 if position != index + 1 else 1, index, _change(data)))
    new = form.new.form.data
    if (new["title"] or "").strip():
        position = new["position"] or len(listed) + 1
        entries.append((position, 0 if position != len(listed) + 1 else 1, len(listed), _change(new)))
    entries.sort(key=lambda item: item[:3])
    return ReportEdit(
        introduction=form.introduction.data or "",
        closing_notes=form.closing_notes.data or "",
        comments={sub.form.key.data: sub.form.comment.data or "" for sub in form.comments.entries},
        recommendations=tuple(item[3] for item in entries),
    )


def _change(data: dict[str, Any]) -> RecommendationChange:
    return RecommendationChange(
        key=data["key"] or "",
        title=data["title"] or "",
        rationale=data["rationale"] or "",
        actions=tuple((data["actions"] or "").splitlines()),
        priority=data["priority"] or 3,
        owner_role=data["owner_role"] or "",
        horizon=data["horizon"] or "",
        indicator=data["indicator"] or "",
    )


def saved_texts(form: ReportEditForm, saved: ReportContent) -> tuple[dict[str, str], list[str]]:
    """For a refused (stale) save: the newer version's text of each field where it differs from
    the editor's, keyed by the form field's id; and the titles of recommendations only it has."""
    texts: dict[str, str] = {}

    def note(field_id: str, theirs: str, mine: str | None) -> None:
        if (theirs or "").strip() != (mine or "").strip():
            texts[field_id] = theirs or "(empty)"

    note(form.introduction.id, saved.introduction, form.introduction.data)
    note(form.closing_notes.id, saved.closing_notes, form.closing_notes.data)
    sections = {s.key: s for s in saved.sections}
    for sub in form.comments.entries:
        section = sections.get(sub.form.key.data)
        if section is not None:
            note(sub.form.comment.id, section.comment, sub.form.comment.data)
    recs = {r.key: r for r in saved.recommendations}
    seen = set()
    for sub in form.recommendations.entries:
        rec = recs.get(sub.form.key.data)
        if rec is None:
            texts[sub.form.title.id] = "(removed in the newer version)"
            continue
        seen.add(rec.key)
        for name in ("title", "rationale", "owner_role", "horizon", "indicator"):
            note(getattr(sub.form, name).id, getattr(rec, name), getattr(sub.form, name).data)
        note(sub.form.actions.id, "\n".join(rec.actions), sub.form.actions.data)
        if rec.priority != sub.form.priority.data:
            texts[sub.form.priority.id] = str(rec.priority)
    only_saved = [r.title for r in saved.recommendations if r.key not in seen]
    return texts, only_saved
