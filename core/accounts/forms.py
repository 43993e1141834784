from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from core.accounts.passwords import MAX_LENGTH, password_problem


class NewPassword:
    """Validator applying the password policy (length, common passwords)."""

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        email = form.email.data if hasattr(form, "email") else ""
        problem = password_problem(field.data or "", email or "")
        if problem:
            raise ValidationError(problem)


class SignUpForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), NewPassword()],
        description="At least 12 characters. A short sentence is easy to remember and hard to guess.",
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), NewPassword()])
    confirm = PasswordField("Repeat the new password", validators=[DataRequired(), EqualTo("password", "The two passwords differ.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    password = PasswordField("New password", validators=[DataRequired(), NewPassword()])
    confirm = PasswordField("Repeat the new password", validators=[DataRequired(), EqualTo("password", "The two passwords differ.")])


class ProfileForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=120)])


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = BooleanField("I understand that my account and my contributions' authorship are deleted", validators=[DataRequired("Tick the box to confirm.")])


class ResendVerificationForm(FlaskForm):
    pass
