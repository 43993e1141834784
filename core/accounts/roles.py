"""Platform roles: admin (created by CLI) and consultant (granted by an admin)."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def consultant_required(view: F) -> F:
    """Consultants and admins."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.is_consultant or current_user.is_admin):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
