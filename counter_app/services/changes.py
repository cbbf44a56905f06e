"""What a use case changed, so each screen refreshes only what it shows (Anki's OpChanges).

Use cases record their changes on the Counter as they commit; whoever ran the use case (the
window's worker) takes them afterwards and tells every page at once, instead of callers
refreshing pages by hand after each action.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar


@dataclass(frozen=True)
class Changes:
    dossiers: bool = False  # a dossier was received, moved on, returned, attached to …
    catalog: bool = False
    calendar: bool = False  # working hours, holidays, closures (due dates may have moved too)
    settings: bool = False
    officers: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


NOTHING = Changes()
DOSSIERS = Changes(dossiers=True)
CATALOG = Changes(catalog=True)
CALENDAR = Changes(calendar=True, dossiers=True)
SETTINGS = Changes(settings=True)
OFFICERS = Changes(officers=True)
EVERYTHING = Changes(dossiers=True, catalog=True, calendar=True, settings=True, officers=True)


F = TypeVar("F", bound=Callable[..., Any])


def reports(changes: Changes) -> Callable[[F], F]:
    """Declare what a use case ``fn(counter, …)`` changes; recorded on the counter once it returns."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(counter: Any, *args: Any, **kwargs: Any) -> Any:
            result = fn(counter, *args, **kwargs)
            counter.record(changes)
            return result

        return run  # type: ignore[return-value]

    return wrap
