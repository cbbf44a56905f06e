"""The printing core's one error: a request it cannot print, told in Vietnamese."""

from __future__ import annotations

from counter_app.domain.errors import ValidationError


class PrintRequestError(ValidationError, ValueError):
    """Unknown form, paper or form set, or data of the wrong type.

    A ValidationError (the UI shows ``message`` like any other input error) and a ValueError
    (callers that only know the standard library can still catch it).
    """
