"""Who else knows people of a village, without formation importing the domain apps above it (the registry half of
`known_people`, free of model imports so an `AppConfig` may import it).

An app above formation that holds names of a village's people (cooperatives: members and board seats) registers a
function here from its `AppConfig.ready()`, as `case_sections` does for the case page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PeopleSource = Callable[[list[int]], Iterable[str]]
_SOURCES: list[PeopleSource] = []


def register_people_source(source: PeopleSource) -> None:
    """Add `source(cooperative_ids) -> names` (the people an app holds for those cooperatives); once, however often
    `ready()` runs."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def people_sources() -> list[PeopleSource]:
    """The registered sources, in registration order."""
    return list(_SOURCES)
