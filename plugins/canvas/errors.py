"""Refusals a service can raise; views turn them into status codes and messages."""

from __future__ import annotations


class CanvasError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(CanvasError):
    """The user may not do this (someone else's note, a member consolidating)."""

    status_code = 403


class WrongState(CanvasError):
    """The canvas's status forbids this, e.g. any change to an agreed canvas."""

    status_code = 409


class StaleEdit(CanvasError):
    """Someone else saved a newer version since the editor loaded the form."""

    status_code = 409


class InvalidInput(CanvasError):
    status_code = 400
