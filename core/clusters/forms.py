from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, URL

from core.clusters.models import CLUSTER_STAGES, ORGANISATION_TYPES, ROLES
from core.clusters.time_zones import zone_names

ORG_TYPE_CHOICES = list(ORGANISATION_TYPES.items())


class ClusterProfileForm(FlaskForm):
    name = StringField("Cluster name", validators=[DataRequired(), Length(max=160)])
    country = StringField("Country", validators=[DataRequired(), Length(max=80)])
    region = StringField("Region", validators=[Optional(), Length(max=120)])
    sectors = StringField(
        "Sectors", validators=[Optional(), Length(max=300)], description="Separate several sectors with commas."
    )
    stage = SelectField("Stage", choices=list(CLUSTER_STAGES.items()), default="emerging")
    member_count = IntegerField(
        "Number of member organisations", validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    website = URLField("Website", validators=[Optional(), URL(message="Enter a full address, e.g. https://example.org"), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=4000)])
    time_zone = SelectField(
        "Time zone",
        default="",
        description="Workshop times are entered and shown in this zone. Left empty, it follows the country.",
        validate_choice=True,
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [("", "From the country")] + [(name, name) for name in zone_names()]


class CreateClusterForm(ClusterProfileForm):
    organisation_name = StringField(
        "Your organisation", validators=[DataRequired(), Length(max=160)],
        description="The organisation you represent in this cluster (often the cluster organisation itself).",
    )
    organisation_type = SelectField("Type of your organisation", choices=ORG_TYPE_CHOICES, default="intermediary")


class InviteForm(FlaskForm):
    email = EmailField("Email of the person to invite", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    role = SelectField("Role", choices=list(ROLES.items()), default="member")


class BulkInviteForm(FlaskForm):
    emails = TextAreaField(
        "Emails of the people to invite", validators=[DataRequired(), Length(max=60_000)],
        description="One address per line (commas and semicolons work too), up to 500 at once.",
    )
    role = SelectField("Role", choices=list(ROLES.items()), default="member")


class AcceptInvitationForm(FlaskForm):
    organisation_name = StringField("Organisation you represent", validators=[DataRequired(), Length(max=160)])
    organisation_type = SelectField("Type of organisation", choices=ORG_TYPE_CHOICES, default="sme")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=list(ROLES.items()))


class OrganisationForm(FlaskForm):
    organisation_name = StringField("Organisation", validators=[DataRequired(), Length(max=160)])
    organisation_type = SelectField("Type", choices=ORG_TYPE_CHOICES)


class ConfirmForm(FlaskForm):
    """An empty form: just the CSRF token, for buttons that change something."""
