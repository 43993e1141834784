"""Account use cases. Views call these; these own the transactions."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from core.accounts import passwords, tokens
from core.accounts.models import User
from core.accounts.sessions import end_all_sessions
from core.email.limits import MailLimitReached, check_and_record
from core.email.sending import send_email
from core.extensions import db
from core.links import absolute_url
from core.models import utcnow

log = logging.getLogger(__name__)
VERIFY = "verify-email"
RESET = "reset-password"
RESET_MAX_AGE = 2 * 3600


class AccountError(ValueError):
    """A use case was refused; the message is shown to the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def create_user(email: str, password: str, display_name: str = "", verified: bool = False) -> User:
    email = normalise_email(email)
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem)
    if find_user_by_email(email):
        raise AccountError("An account with this email already exists. Log in or reset your password.")
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(
    email: str, password: str, display_name: str, invited: bool = False, next_path: str | None = None
) -> User | None:
    """Create an account; None when the address already has one.

    The visitor must not learn which addresses have accounts, so an existing
    account gets a mail ("someone tried to sign up: log in or reset") and the
    caller answers as for a new one. With ``invited`` (a valid invitation for
    this very address, which proves the mailbox) the new account is verified at
    once, and an existing one is an ``AccountError`` (no leak: only the
    mailbox's owner holds the invitation). ``next_path`` (a same-site path, e.g. a quick
    test's "save" page) rides in the confirmation link so the visitor continues there.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        if invited:
            raise AccountError("An account with this address exists already: log in to accept the invitation.")
        passwords.hash_password(password)  # the same time as a new account, so timing tells nothing
        if not _may_mail("signup", existing.email):
            return None
        send_email(
            existing.email,
            "Someone tried to sign up with your address",
            "signup_existing",
            user=existing,
            login_link=absolute_url("accounts.login"),
            reset_link=absolute_url("accounts.forgot_password"),
        )
        db.session.commit()
        return None
    user = create_user(email, password, display_name, verified=invited)
    if not invited and _may_mail("signup", user.email):
        send_verification_email(user, next_path)
    db.session.commit()
    return user


def _may_mail(purpose: str, address: str) -> bool:
    """Within the abuse limits? Sign-up must answer the same either way, so an excess mail is skipped, not refused."""
    try:
        check_and_record(purpose, address)
    except MailLimitReached:
        log.warning("%s mail to %s skipped: limit reached", purpose, address)
        return False
    return True


def send_verification_email(user: User, next_path: str | None = None) -> None:
    """Mail the confirmation link; ``next_path`` (same-site path or None) is signed into it."""
    data: dict[str, object] = {"uid": user.id, "email": user.email}
    if next_path:
        data["next"] = next_path
    token = tokens.make_token(VERIFY, data)
    send_email(
        user.email,
        "Confirm your email address",
        "verify_email",
        user=user,
        link=absolute_url("accounts.verify_email", token=token),
    )


def verify_email(token: str) -> User:
    """Mark the address confirmed. Raises ``tokens.TokenError`` for a bad or expired link."""
    return verify_email_and_next(token)[0]


def verify_email_and_next(token: str) -> tuple[User, str | None]:
    """``verify_email`` that also returns the path signed into the link (or None)."""
    data = tokens.read_token(VERIFY, token)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise tokens.TokenError("This link is not valid.")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    next_path = data.get("next")
    return user, next_path if isinstance(next_path, str) else None


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token = tokens.make_token(RESET, {"uid": user.id, "ph": tokens.fingerprint(user.password_hash)})
    send_email(
        user.email,
        "Reset your password",
        "reset_password",
        user=user,
        link=absolute_url("accounts.reset_password", token=token),
    )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    data = tokens.read_token(RESET, token, max_age=RESET_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None or tokens.fingerprint(user.password_hash) != data.get("ph"):
        raise tokens.TokenError("This link has already been used or is no longer valid.")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # they proved they read this mailbox
    end_all_sessions(user.id)
    db.session.commit()
    return user


def change_password(user: User, current: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.")
    _set_password(user, new_password)
    end_all_sessions(user.id, keep_token=user.auth_session_token)
    db.session.commit()


def _set_password(user: User, new_password: str) -> None:
    problem = passwords.password_problem(new_password, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = passwords.hash_password(new_password)


def update_profile(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()
    db.session.commit()


def delete_account(user: User, password: str) -> None:
    from core.clusters.services import leave_all_clusters_for_deletion
    from core.plugins.calls import notify_user_deleted

    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("Your password is not correct.")
    leave_all_clusters_for_deletion(user)
    notify_user_deleted(user.id)
    db.session.delete(user)
    db.session.commit()


def create_admin(email: str, password: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = create_user(email, password, verified=True)
    user.is_admin = True
    db.session.commit()
    return user


def set_consultant(email: str, value: bool) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise AccountError(f"No account with email {email}.")
    user.is_consultant = value
    db.session.commit()
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
