"""One cleaner per kind of value typed by people: dates, money, NIKs, village codes and names, stage labels, text.

Every way a value comes in — an import's cell, a form's field, a service's argument — goes through the same cleaner,
so a value accepted by one door is accepted, and means the same, at every other. A cleaner returns the value or
raises `CellError` (imports) / `ValidationError` (forms, services) with a message for the user that names the field
and the forms accepted; it never alters a value silently.

Why a package of its own, on the layer just above `core` (not inside `imports`, where it began): the
forms and services of `formation` and `cooperatives` must use the same rules, and `imports` sits on top; a rule
living there could not be reached from below. Cleaners are pure: they import `core` only (never the region tree or
the workflow); what they must check against (the villages of a region, the region codes in force) is passed in.
"""

from __future__ import annotations


class CellError(ValueError):
    """A value cannot be taken; the message is for the user (an import adds the row number)."""
