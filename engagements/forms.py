"""Forms of the engagements pages (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

import secrets

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.api import FlaskForm, zone_names
from engagements.kinds import kind_choices
from engagements.money import parse_amount
from engagements.policy import parse_policy
from engagements.vat import vat_id_problem

PAYMENT_CHOICES = [("invoice", "Invoice (bank transfer)"), ("card", "Card (Stripe Checkout)")]


class BookingForm(FlaskForm):
    service_id = SelectField("Service", coerce=int, validators=[InputRequired(message="Choose a service.")])
    goals = TextAreaField(
        "Goals",
        validators=[DataRequired(message="Say what the cluster wants to achieve."), Length(max=4000)],
        description="What should the cluster have achieved at the end?",
    )
    context = TextAreaField(
        "Context",
        validators=[Optional(), Length(max=4000)],
        description="Anything the consultant should know: history, people, constraints.",
    )
    preferred_dates = TextAreaField(
        "Preferred dates",
        validators=[Optional(), Length(max=1000)],
        description="For workshops: days or weeks that suit the cluster.",
    )
    slot_ids = SelectMultipleField(
        "Dates the consultants offer",
        coerce=int,
        validators=[Optional()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        description="Tick any that suit you; the consultant confirms one.",
    )
    payment_method = RadioField(
        "Payment",
        choices=PAYMENT_CHOICES,
        default="invoice",
        validators=[InputRequired(message="Choose how to pay.")],
    )
    buyer_name = StringField("Invoice to (organisation)", validators=[Optional(), Length(max=200)])
    buyer_address = TextAreaField("Billing address", validators=[Optional(), Length(max=1000)])
    buyer_vat_id = StringField("VAT number", validators=[Optional(), Length(max=40)])

    def validate_buyer_vat_id(self, field: StringField) -> None:
        problem = vat_id_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_buyer_name(self, field: StringField) -> None:
        if self.payment_method.data == "invoice" and not (field.data or "").strip():
            raise ValidationError("An invoice needs the name of the organisation that pays.")

    def validate_buyer_address(self, field: TextAreaField) -> None:
        if self.payment_method.data == "invoice" and not (field.data or "").strip():
            raise ValidationError("An invoice needs a billing address.")


class CancelForm(FlaskForm):
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=1000)])
    confirm = BooleanField(
        "I understand the refund shown above", validators=[DataRequired(message="Please confirm.")]
    )


class ButtonForm(FlaskForm):
    """A button that only needs the CSRF token."""


class ServiceForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=160)])
    summary = StringField("Summary", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    deliverables = TextAreaField(
        "What is delivered", validators=[Optional(), Length(max=3000)], description="One item per line."
    )
    duration = StringField("Duration", validators=[DataRequired(), Length(max=80)])
    kind = SelectField(
        "Kind of service",
        choices=kind_choices(),
        default="workshop",
        description="Workshops and sessions get a date and a calendar invitation; a report is a written document.",
    )
    price = StringField(
        "Price excluding VAT", validators=[DataRequired()], description="For example 1500 or 1500.00"
    )
    currency = SelectField(
        "Currency", choices=[("EUR", "EUR"), ("GBP", "GBP"), ("CHF", "CHF"), ("USD", "USD")]
    )
    vat_rate = StringField("VAT rate (%)", default="20", validators=[DataRequired()])
    cancellation_policy = StringField(
        "Cancellation policy",
        default="14:100,3:50",
        validators=[DataRequired(), Length(max=120)],
        description="days:percent tiers: 14:100,3:50 = full refund until 14 days before, half until 3 days.",
    )
    sort_order = IntegerField("Order", default=100, validators=[NumberRange(min=0, max=10000)])

    def validate_price(self, field: StringField) -> None:
        try:
            value = parse_amount(field.data or "", self.currency.data or "EUR")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if value <= 0:
            raise ValidationError("The price must be greater than zero.")

    def validate_vat_rate(self, field: StringField) -> None:
        try:
            bp = parse_amount(field.data or "", "EUR")
        except ValueError as exc:
            raise ValidationError("Enter a rate such as 20 or 5.5.") from exc
        if bp > 10000:
            raise ValidationError("The rate must be between 0 and 100.")

    def validate_cancellation_policy(self, field: StringField) -> None:
        try:
            parse_policy(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class RefundForm(FlaskForm):
    amount = StringField("Amount to refund", validators=[DataRequired()])
    reason = StringField("Reason", validators=[DataRequired(), Length(max=300)])
    nonce = HiddenField()
    #: Set by the confirmation page, which shows the amount and the method first.
    confirmed = HiddenField()

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not self.nonce.data:
            self.nonce.data = secrets.token_hex(12)

    def validate_nonce(self, field: HiddenField) -> None:
        if not (field.data or "").isalnum() or len(field.data) > 40:
            raise ValidationError("Reload the page and try again.")


class SellerForm(FlaskForm):
    name = StringField("Company name", validators=[DataRequired(message="Enter the company name."), Length(max=200)])
    address = TextAreaField("Address", validators=[Optional(), Length(max=1000)])
    vat_id = StringField(
        "VAT ID", validators=[Optional(), Length(max=40)], description="With its country prefix, e.g. FR40303265045."
    )
    email = StringField("Billing email", validators=[Optional(), Length(max=254)])
    iban = StringField("IBAN", validators=[Optional(), Length(max=40)])
    bic = StringField("BIC", validators=[Optional(), Length(max=20)])
    payment_terms_days = IntegerField(
        "Payment terms (days)", default=30, validators=[InputRequired(), NumberRange(min=0, max=120)]
    )

    def validate_iban(self, field: StringField) -> None:
        value = "".join((field.data or "").split()).upper()
        if value and not (15 <= len(value) <= 34 and value[:2].isalpha() and value[2:4].isdigit() and value.isalnum()):
            raise ValidationError("Enter an IBAN such as FR76 3000 6000 0112 3456 7890 189.")

    def validate_vat_id(self, field: StringField) -> None:
        problem = vat_id_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ConfirmTransferForm(FlaskForm):
    reference = StringField(
        "Bank reference of the transfer",
        validators=[DataRequired(message="Enter the bank reference of the transfer."), Length(max=120)],
    )
    confirm = BooleanField(
        "The money has left our account", validators=[DataRequired(message="Please confirm.")]
    )


class LedgerFilterForm(FlaskForm):
    """GET filter of the ledger: dates are inclusive calendar days in UTC."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end date is before the start date.")


class MarkPaidForm(FlaskForm):
    reference = StringField("Bank reference", validators=[Optional(), Length(max=120)])


class AssignForm(FlaskForm):
    consultant_id = SelectField("Consultant", coerce=int, validators=[InputRequired()])


class ScheduleForm(FlaskForm):
    date = DateField("Date", validators=[InputRequired(message="Choose a date.")])
    #: The label names the cluster's zone (set by the view); the time is wall-clock time there.
    time = TimeField("Start time (cluster's time zone)", validators=[InputRequired(message="Choose a start time.")])
    minutes = IntegerField(
        "Length (minutes)", default=360, validators=[InputRequired(), NumberRange(min=15, max=24 * 60)]
    )
    location = StringField("Place or video link", validators=[Optional(), Length(max=300)])


class AdvanceForm(FlaskForm):
    note = StringField("Note (optional)", validators=[Optional(), Length(max=300)])


class MessageForm(FlaskForm):
    body = TextAreaField("Message", validators=[DataRequired(message="Write a message."), Length(max=10000)])
    files = MultipleFileField(
        "Attachments", description="PDF, images, text or office files; at most 5 MB each."
    )


class AvailabilityForm(FlaskForm):
    date = DateField("Date", validators=[InputRequired(message="Choose a date.")])
    time = TimeField("Start time", validators=[InputRequired(message="Choose a start time.")])
    time_zone = SelectField(
        "Time zone of that time",
        default="Europe/Paris",
        description="Clusters see the slot in their own time zone.",
    )
    minutes = IntegerField(
        "Length (minutes)", default=360, validators=[InputRequired(), NumberRange(min=15, max=24 * 60)]
    )
    note = StringField(
        "Note (optional)",
        validators=[Optional(), Length(max=200)],
        description="For example: on site in the Lyon area, or online only.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(name, name) for name in zone_names()]
