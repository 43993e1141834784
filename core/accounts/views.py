"""Account pages. Thin: forms in, service calls, redirects out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, after_this_request, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.accounts import devices, forms, services, tokens
from core.accounts.landing import landing_url
from core.accounts.sessions import end_session, start_session
from core.clusters import invitations
from core.clusters.services import ClusterError
from core.extensions import limiter

bp = Blueprint("accounts", __name__)


def _login_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


def _failed(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code != 302


def _is_local_path(target: str | None) -> bool:
    # Only same-site paths, so a crafted link cannot send users elsewhere after login.
    return bool(target and target.startswith("/") and not target.startswith(("//", "/\\"))
                and not urlsplit(target).netloc)


def _safe_next(target: str | None) -> str:
    if _is_local_path(target):
        return target  # type: ignore[return-value]
    return landing_url(current_user._get_current_object())


def _invited_address(next_path: str | None) -> str | None:
    """The address an invitation was sent to, when sign-up continues to an open invitation link."""
    if not next_path or not next_path.startswith("/invitations/"):
        return None
    try:
        return invitations.invitation_from_token(next_path.removeprefix("/invitations/")).email
    except tokens.TokenError:
        return None


def _invited_email() -> str | None:
    """The address of the open invitation this sign-up comes from (``?next=/invitations/<token>``)."""
    return _invited_address(request.args.get("next"))


def _invited_signup() -> bool:
    # An invitee on a workshop's shared Wi-Fi is not a stranger: their invitation
    # (single use, for this address) is the limit, not the room's one address.
    email = _invited_email()
    return email is not None and email == services.normalise_email(request.form.get("email", ""))


def _accepted(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], deduct_when=_accepted, exempt_when=_invited_signup)
def signup():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("clusters.home"))
    form = forms.SignUpForm()
    invited = _invited_address(request.args.get("next"))
    if request.method == "GET" and invited:
        form.email.data = invited
    if form.validate_on_submit():
        invited = _invited_signup()
        try:
            next_path = request.args.get("next")
            user = services.sign_up(form.email.data, form.password.data, form.display_name.data, invited=invited,
                                    next_path=next_path if _is_local_path(next_path) else None)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            if invited and user is not None:
                start_session(user)
                flash("Welcome! Your account is ready.", "success")
                return redirect(_safe_next(request.args.get("next")))
            # The same answer whether or not the address had an account (see services.sign_up).
            return redirect(url_for("accounts.signup_sent"))
    return render_template("accounts/signup.html", form=form), 400 if form.errors else 200


@bp.get("/signup/sent")
def signup_sent():  # type: ignore[no-untyped-def]
    return render_template("accounts/signup_sent.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per 5 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "5 per minute", key_func=_login_key, methods=["POST"], deduct_when=_failed,
    exempt_when=devices.submitted_account_is_known,
)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user)
            after_this_request(lambda response: devices.remember_device(response, user.id))
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Email or password is not correct.")
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    end_session(current_user._get_current_object())
    flash("You are logged out.", "info")
    return redirect(url_for("public.home"))


@bp.get("/verify/<token>")
def verify_email(token: str):  # type: ignore[no-untyped-def]
    try:
        _, next_path = services.verify_email_and_next(token)
    except tokens.TokenError as exc:
        flash(str(exc), "error")
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    flash("Thank you, your email address is confirmed.", "success")
    # Carry on where the visitor was going before signing up (e.g. saving a quick test result).
    next_path = next_path if _is_local_path(next_path) else None
    if current_user.is_authenticated:
        return redirect(next_path or landing_url(current_user._get_current_object()))
    return redirect(url_for("accounts.login", next=next_path) if next_path else url_for("accounts.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("5 per hour")
def resend_verification():  # type: ignore[no-untyped-def]
    if not current_user.is_verified:
        services.send_verification_email(current_user._get_current_object())
        from core.extensions import db

        db.session.commit()
        flash("We sent a new confirmation link.", "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():  # type: ignore[no-untyped-def]
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    try:
        services.user_for_reset_token(token)
    except tokens.TokenError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except (services.AccountError, tokens.TokenError) as exc:
            form.password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                end_session(current_user._get_current_object())
            flash("Your password is changed. Log in with the new one.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():  # type: ignore[no-untyped-def]
    form = forms.ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user._get_current_object(), form.display_name.data)
        flash("Profile saved.", "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user._get_current_object(), form.current_password.data, form.password.data)
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            flash("Password changed. Your other sessions were logged out.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():  # type: ignore[no-untyped-def]
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.delete_account(user, form.password.data)
        except (services.AccountError, ClusterError) as exc:
            form.password.errors.append(str(exc))
        else:
            end_session(user)
            flash("Your account is deleted.", "info")
            return redirect(url_for("public.home"))
    return render_template("accounts/delete.html", form=form), 400 if form.errors else 200
