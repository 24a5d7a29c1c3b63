"""What other apps add to a cooperative's case page, without formation importing them.

The record layer knows nothing of the domain apps above it; an app that has something to show on the case page (the
open follow-ups of assistance visits, the trainings its people attended) registers a function here from its
`AppConfig.ready()`. Each function takes the user and the cooperative and returns template context (plain data,
a fixed number of queries); the case view merges them in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kopdes.accounts.models import User


Section = Callable[[Any, Any], dict]
_SECTIONS: list[Section] = []


def register_case_section(section: Section) -> None:
    """Add `section(user, cooperative) -> dict` to the case page (once, however often `ready()` runs)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def case_sections(user: User, cooperative) -> dict:
    """The context every registered app adds to the case page of `cooperative` for `user`."""
    context: dict = {}
    for section in _SECTIONS:
        context.update(section(user, cooperative))
    return context
