from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from core.proposals.models import PROPOSAL_KINDS


class ProposalForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=160)])
    kind = SelectField("What do you propose?", choices=list(PROPOSAL_KINDS.items()))
    message = TextAreaField(
        "Your proposal", validators=[DataRequired(), Length(min=20, max=5000, message="Write between 20 and 5,000 characters.")]
    )
