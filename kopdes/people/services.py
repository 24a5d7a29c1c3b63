"""Writes to a village's roster: add, change, retire one person, and bring in many at once (pasted rows, an OpenSID
export). Every write is audited (NIKs masked by `record_audit`), checks `policy.may_edit`, and goes through
`clean_person`, so a person typed in the roster page, added in place from a picker, pasted or imported meets the same
rules: a name, a well-formed NIK (`cleaners.nik.parse_nik`, optional) unique among the village's people, a sex that
agrees with the NIK, RT/RW of up to three digits. People are retired, never deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh
from kopdes.core.nik import mask_nik
from kopdes.people import policy
from kopdes.people.cleaning import FIELDS, clean_person, row_error, search_key
from kopdes.people.models import Person, Source


def _duplicate_message(other: Person) -> str:
    return _(
        "This NIK is already on the village's roster, as %(name)s: pick that person instead of adding them again."
    ) % {"name": other.name}


def _check_unique_nik(village_code: str, nik: str, *, exclude: int | None = None) -> None:
    if not nik:
        return
    other = Person.objects.of_village(village_code).on_roster().filter(nik=nik).exclude(pk=exclude).first()
    if other is not None:
        raise ValidationError({"nik": [_duplicate_message(other)]})


def _require_edit(actor, village_code: str) -> None:
    if not policy.may_edit(actor, village_code):
        raise Http404


def create_person(*, actor, village_code: str, data: dict[str, Any], source: str = Source.FORM) -> Person:
    """Add one person to the village's roster. Raises ValidationError (by field) for bad input or a NIK already
    on the roster; Http404 when `actor` may not edit the village's roster."""
    _require_edit(actor, village_code)
    cleaned = clean_person(data)
    with transaction.atomic():
        _check_unique_nik(village_code, cleaned["nik"])
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    village_code=village_code, source=source, search_name=search_key(cleaned["name"]), **cleaned
                )
        except IntegrityError as race:  # the same NIK saved by someone else in between
            raise ValidationError({"nik": [_("This NIK is already on the village's roster.")]}) from race
        record_audit(
            actor=actor, action="people.create", obj=person, region_code=village_code, after=snapshot(person, FIELDS)
        )
    return person


def update_person(*, actor, person: Person, data: dict[str, Any], read: str | None = None) -> Person:
    """Change a person's fields. `read`: the edit form's token (`audit.stale.read_token(person, FIELDS)`); a change
    by someone else since raises `StaleEdit`. Same errors as `create_person`."""
    _require_edit(actor, person.village_code)
    cleaned = clean_person(data)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.retired_at is not None:
            raise Http404
        if read is not None:
            check_fresh(current, FIELDS, read, submitted=cleaned)
        _check_unique_nik(current.village_code, cleaned["nik"], exclude=current.pk)
        before = snapshot(current, FIELDS)
        for key, value in cleaned.items():
            setattr(current, key, value)
        current.search_name = search_key(current.name)
        current.save()
        record_audit(
            actor=actor,
            action="people.update",
            obj=current,
            region_code=current.village_code,
            before=before,
            after=snapshot(current, FIELDS),
        )
    return current


def retire_person(*, actor, person: Person, read: str | None = None) -> Person:
    """Take a person off the roster (kept, with the papers that named them); their NIK may be entered again."""
    _require_edit(actor, person.village_code)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if read is not None:
            check_fresh(current, FIELDS, read, submitted={})
        if current.retired_at is None:
            current.retired_at = timezone.now()
            current.save(update_fields=["retired_at"])
            record_audit(
                actor=actor,
                action="people.retire",
                obj=current,
                region_code=current.village_code,
                before={"retired": False},
                after={"retired": True},
            )
    return current


def _clean_rows(rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The rows cleaned (`clean_person`), and the errors by row number (a bad row; a NIK already on an earlier row; a
    name without NIK already on an earlier row without NIK)."""
    errors: list[str] = []
    cleaned_rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for number, data in rows:
        try:
            cleaned = clean_person(data)
        except ValidationError as error:
            errors.append(row_error(number, [m for messages in error.message_dict.values() for m in messages]))
            continue
        if cleaned["nik"] and cleaned["nik"] in seen:
            errors.append(
                row_error(
                    number,
                    [_("the NIK %(nik)s is also on row %(other)s.") % {"nik": mask_nik(cleaned["nik"]),
                                                                        "other": seen[cleaned["nik"]]}],
                )
            )  # fmt: skip
            continue
        name = cleaned["name"].casefold()
        if not cleaned["nik"] and name in seen_names:  # the same person without a NIK: refused, not merged
            other = seen_names[name]
            errors.append(
                row_error(number, [_("%(name)s is also on row %(other)s.") % {"name": cleaned["name"], "other": other}])
            )
            continue
        if cleaned["nik"]:
            seen[cleaned["nik"]] = number
        else:
            seen_names[name] = number
        cleaned_rows.append((number, cleaned))
    return cleaned_rows, errors


def add_people(
    *,
    actor,
    village_code: str,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    already: list[Person] | tuple[Person, ...] = (),
) -> list[Person]:
    """Bring many people into the roster at once: `rows` are (row number, fields). All or nothing: a ValidationError
    lists every bad row by its number ("Row 3: …"), and nothing is saved. A row whose NIK is already on the roster
    (or, with no NIK, whose name is there without one) is that person: they are picked, not added twice. A person on
    two rows (the same NIK, or the same name without one) is refused with both row numbers, as is a row naming one of
    `already` (the people picked above the pasted rows in the same list). Returns the people in the order of the
    rows."""
    _require_edit(actor, village_code)
    cleaned_rows, errors = _clean_rows(rows)
    if errors:
        raise ValidationError(errors)
    people: list[Person] = []
    with transaction.atomic():
        on_roster = Person.objects.of_village(village_code).on_roster().select_for_update()
        by_nik = {p.nik: p for p in on_roster.exclude(nik="")}
        by_name = {p.name.casefold(): p for p in on_roster.filter(nik="")}
        added = 0
        first_row: dict[int, int] = {}
        picked = {person.pk for person in already}
        for number, cleaned in cleaned_rows:
            known = by_nik.get(cleaned["nik"]) if cleaned["nik"] else by_name.get(cleaned["name"].casefold())
            if known is None:
                known = Person.objects.create(
                    village_code=village_code, source=source, search_name=search_key(cleaned["name"]), **cleaned
                )
                by_nik[known.nik] = known
                by_name.setdefault(known.name.casefold(), known)
                added += 1
            if known.pk in picked:
                errors.append(row_error(number, [_("%(name)s is already picked in this list.") % {"name": known.name}]))
            elif known.pk in first_row:
                errors.append(
                    row_error(
                        number,
                        [_("%(name)s is also on row %(other)s.") % {"name": known.name, "other": first_row[known.pk]}],
                    )
                )
            first_row.setdefault(known.pk, number)
            people.append(known)
        if errors:
            raise ValidationError(errors)  # leaving the block undoes the people added by the earlier rows
        record_audit(
            actor=actor,
            action=f"people.{source}",
            object_type="people.person",
            object_repr=village_code,
            region_code=village_code,
            after={"rows": len(cleaned_rows), "added": added},
        )
    return people
