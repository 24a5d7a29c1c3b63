"""The audit log in sentences: a registry of describers, one per action string, that apps register into.

The audit app lies below every app that writes to the log, so it knows no action itself: each app registers its
actions in its `AppConfig.ready()` (module `audit_texts.py` of the app) with `register(action, phrase, group=...)`.
`kopdes/audit/tests/test_describe.py` finds every action string in the code and fails when one has no describer.

Reading an entry (`describe_entries`):
- the phrase ("membuat akun %(object)s") is filled with the object's name and the readable values of `after`;
- an update of exactly one field with a `noun` reads "mengubah dusun anggota A. Saputra dari X menjadi Y";
- every changed field is listed by its verbose name (from the model named by the entry's object type, or the
  describer's own labels), its values readable: booleans "ya/tidak", dates in the Indonesian format, choices by
  label, foreign keys by the object's name (one query per related model for the whole page), long text shortened;
- NIKs: the log stores them masked (`record_audit`), and every text shown is masked again here: a raw NIK is never
  shown, whoever reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.audit.models import AuditEntry
from kopdes.core.nik import mask_personal_data

LONG_TEXT = 120  # characters kept of a long value
EMPTY = "—"


@dataclass(frozen=True)
class Group:
    """A kind of change, for the log's filter ("Akun dan akses", "Tahapan pembentukan", ...)."""

    key: str
    label: Any  # a lazy translation


@dataclass(frozen=True)
class Describer:
    """How one action reads. `phrase` is a lazy translation with %(object)s and any key of `after`, readable
    (%(stage)s: "Tim fasilitator dibentuk") or as written (%(stage_raw)s: "2"); `noun` ("anggota") allows the
    one-field form; `model` names the model whose verbose names label the fields when the entry's object type is
    another; `labels` names keys that are no model field."""

    action: str
    phrase: Any
    group: str
    noun: Any = ""
    model: str = ""
    labels: dict[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()  # keys not listed as changes (ids, hashes)


GROUPS: dict[str, Group] = {}
_DESCRIBERS: dict[str, Describer] = {}

# keys written by several services that are no model field
COMMON_LABELS: dict[str, Any] = {
    "address": gettext_lazy("IP address"),
    "reason": gettext_lazy("reason"),
    "role": gettext_lazy("role"),
    "region": gettext_lazy("region"),
    "files": gettext_lazy("files"),
    "file": gettext_lazy("file"),
    "status": gettext_lazy("status"),
    "comment": gettext_lazy("comment"),
    "message": gettext_lazy("message"),
    "villages": gettext_lazy("villages"),
    "version": gettext_lazy("version"),
    "user": gettext_lazy("user"),
}
COMMON_HIDDEN = frozenset({"sha256", "batch", "message"})


def register_group(key: str, label) -> None:
    GROUPS.setdefault(key, Group(key, label))


# The kinds of change every app files its actions under (an app may add its own with register_group).
for _key, _group_label in [
    ("accounts", gettext_lazy("Accounts and access")),
    ("formation", gettext_lazy("Formation stages")),
    ("registry", gettext_lazy("Cooperative registry (members, board, outlets, RAT)")),
    ("assistance", gettext_lazy("Assistance (questions, trainings, visits)")),
    ("reports", gettext_lazy("Camat reports")),
    ("imports", gettext_lazy("Data imports")),
    ("settings", gettext_lazy("Programme settings and reference data")),
]:
    register_group(_key, _group_label)


# Readers of values that are codes of another app (region codes, user ids): key -> function(values) -> names.
_VALUE_READERS: dict[str, Any] = {}


def register_value_reader(keys: Iterable[str], reader) -> None:
    """`reader(set of str values) -> {value: name}` names the values of these keys (e.g. region codes) for a page of
    entries at once; the regions app registers its region names for "region", "village", "villages"."""
    for key in keys:
        _VALUE_READERS[key] = reader


def register(action: str, phrase, *, group: str, noun="", model: str = "", labels=None, hidden=()) -> None:
    """Register how `action` reads. Registering an action twice is a programming error (ValueError)."""
    if action in _DESCRIBERS:
        raise ValueError(f"audit action {action!r} is already described")
    if group not in GROUPS:
        raise ValueError(f"unknown audit group {group!r}: register_group() it first")
    _DESCRIBERS[action] = Describer(action, phrase, group, noun, model, dict(labels or {}), frozenset(hidden))


def describer_for(action: str) -> Describer | None:
    return _DESCRIBERS.get(action)


def described_actions() -> set[str]:
    return set(_DESCRIBERS)


def actions_in_group(key: str) -> list[str]:
    return sorted(a for a, d in _DESCRIBERS.items() if d.group == key)


def group_choices() -> list[tuple[str, str]]:
    return sorted(((g.key, str(g.label)) for g in GROUPS.values()), key=lambda c: c[1])


# --- reading entries ------------------------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Described:
    """One entry as read: `phrase` without the actor ("mengubah dusun anggota …"), the changes listed."""

    entry: AuditEntry
    phrase: str
    group: str
    changes: list[Change]
    created: bool  # nothing before: the changes list only the values after


class _Fill(dict):
    def __missing__(self, key):
        return "…"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label and "." in label else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(describer: Describer | None, model, name: str) -> str:
    if describer is not None and name in describer.labels:
        return str(describer.labels[name])
    found = _field(model, name)
    if found is not None:
        return str(found.verbose_name)
    if name in COMMON_LABELS:
        return str(COMMON_LABELS[name])
    return name.replace("_", " ")


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def _plain(value) -> str:
    """A value without a model field to read it by."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        return formats.number_format(value)
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {_plain(v)}" for k, v in value.items())
    text = str(value)
    if len(text) >= 10 and text[4:5] == "-":
        when = parse_datetime(text) if len(text) > 10 else None
        if when is not None:
            if when.tzinfo is not None:
                when = timezone.localtime(when)
            return formats.date_format(when, "j F Y H:i")
        day = parse_date(text[:10]) if len(text) == 10 else None
        if day is not None:
            return _date(day)
    return text


def _same(old, new) -> bool:
    """Equal values, also when one side was written as text ("100000.00") and the other as a number (100000)."""
    if old == new:
        return True
    try:
        return Decimal(str(old)) == Decimal(str(new))
    except (InvalidOperation, ValueError):
        return False


NUMBER_FIELDS = (models.DecimalField, models.IntegerField, models.FloatField)


def _by_field(value, fld: models.Field, related: dict) -> str | None:
    """A value read by its model field: a choice by its label, a foreign key by its object's name, a boolean as
    ya/tidak, a number grouped; None when the field does not say more than the value."""
    if fld.choices:
        labels = {str(k): v for k, v in fld.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        if str(value) in labels:
            return str(labels[str(value)])
    if fld.many_to_one and fld.related_model is not None:
        return related.get((fld.related_model, str(value)))
    if isinstance(fld, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(fld, NUMBER_FIELDS) and not isinstance(value, bool):
        try:
            return formats.number_format(Decimal(str(value)).normalize(), use_l10n=True, force_grouping=True)
        except (InvalidOperation, ValueError):
            return None
    return None


def _readable(value, fld: models.Field | None, related: dict, name: str = "") -> str:
    if name in _VALUE_READERS and value not in (None, "", []):
        named = related.get(name, {})
        if isinstance(value, list):
            return ", ".join(named.get(str(v), str(v)) for v in value)
        return named.get(str(value), str(value))
    if fld is not None and value not in (None, ""):
        read = _by_field(value, fld, related)
        if read is not None:
            return read
    return _plain(value)


def _short(text: str) -> str:
    return mask_personal_data(Truncator(text).chars(LONG_TEXT))


def _fk_keys(entries: Iterable[AuditEntry]) -> dict:
    """(related model, pk) -> the related object's name, with one query per related model; and key -> {value: name}
    for the keys a value reader names (one call per reader)."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    coded: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        describer = describer_for(entry.action)
        model = _model((describer.model if describer else "") or entry.object_type)
        for values in (entry.before or {}, entry.after or {}):
            for name, value in values.items():
                if name in _VALUE_READERS and value not in (None, ""):
                    coded[name].update(str(v) for v in (value if isinstance(value, list) else [value]))
                    continue
                fld = _field(model, name)
                if fld is not None and fld.many_to_one and fld.related_model is not None and value not in (None, ""):
                    wanted[fld.related_model].add(str(value))
    names: dict = {}
    for related_model, pks in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=pks):
            names[(related_model, str(obj.pk))] = str(obj)
    readers: dict = defaultdict(set)  # one call per reader, whatever the number of keys it reads
    for name, values in coded.items():
        readers[_VALUE_READERS[name]] |= values
    read = {reader: reader(values) for reader, values in readers.items()}
    for name in coded:
        names[name] = read[_VALUE_READERS[name]]
    return names


def describe_entries(entries: Iterable[AuditEntry]) -> list[Described]:
    """Read a page of entries (see the module's docstring). Queries: one per model named by a foreign key."""
    entries = list(entries)
    related = _fk_keys(entries)
    return [_describe(entry, related) for entry in entries]


def _describe(entry: AuditEntry, related: dict) -> Described:
    describer = describer_for(entry.action)
    model = _model((describer.model if describer else "") or entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    hidden = COMMON_HIDDEN | (describer.hidden if describer else frozenset())
    changes: list[Change] = []
    for name in list(dict.fromkeys([*before, *after])):
        if name in hidden:
            continue
        old, new = before.get(name), after.get(name)
        if before and after and name in before and name in after and _same(old, new):
            continue  # unchanged
        fld = _field(model, name)
        changes.append(
            Change(
                label=_label(describer, model, name),
                before=_short(_readable(old, fld, related, name)) if name in before else "",
                after=_short(_readable(new, fld, related, name)) if name in after else "",
            )
        )
    obj = mask_personal_data(entry.object_repr) or EMPTY
    if describer is None:  # an action nobody described (the test of describers forbids it in the code)
        phrase = _("did %(action)s on %(object)s") % {"action": entry.action, "object": obj}
        return Described(entry, phrase, "", changes, not before)
    if describer.noun and before and len(changes) == 1 and changes[0].before and changes[0].after:
        change = changes[0]
        phrase = _("changed the %(field)s of %(noun)s %(object)s from %(before)s to %(after)s") % {
            "field": change.label,
            "noun": describer.noun,
            "object": obj,
            "before": change.before,
            "after": change.after,
        }
        return Described(entry, phrase, describer.group, [], False)
    fill = _Fill({k: _short(_readable(v, _field(model, k), related, k)) for k, v in after.items()})
    fill.update({f"{k}_raw": _short(_plain(v)) for k, v in after.items()})  # e.g. a stage by its number
    fill["object"] = obj
    return Described(entry, str(describer.phrase) % fill, describer.group, changes, not before)
