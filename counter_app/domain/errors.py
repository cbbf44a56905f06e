"""Errors the officer can act on, each carrying a Vietnamese message and a stable code.

The code is for scripts, logs and the API; the message is what the counter shows.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the one-stop process was broken; nothing has been written."""

    code: str = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that cannot be accepted as typed (a field is empty, malformed or out of range)."""

    code = "invalid_input"


class NotFoundError(DomainError):
    """The thing named (procedure, dossier, officer) does not exist."""

    code = "not_found"


class TransitionError(DomainError):
    """The lifecycle action is not allowed in the dossier's current state."""

    code = "illegal_transition"


class CalendarDataError(DomainError):
    """Calendar adjustment data that names an impossible date or contradicts itself."""

    code = "invalid_calendar_data"
