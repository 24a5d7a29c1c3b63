"""One mechanism against lost updates: a form that edits an existing record carries a signed token of
the record as it was read, and the service checks it inside its save transaction, on the row it locked with
`select_for_update`. A change by someone else in between refuses the save with `StaleEdit`, which names every field
changed meanwhile (the user's value, the value now, who changed it and when — from the audit log), while the form
keeps what the user typed. The token holds digests of the values, never the values (no NIK in the page twice).

    form field:  ReadTokenField()                       (named READ_TOKEN_FIELD; hidden)
    initial:     read_token(obj, FIELDS)
    service:     with transaction.atomic():
                     current = Model.objects.select_for_update().get(pk=obj.pk)
                     check_fresh(current, FIELDS, token, submitted={field: value, ...})
    view:        except ValidationError as error: add_service_errors(form, error); keep_after_stale(form, error)

What a form edits beyond the record's own fields (its invitations, follow-up rows, the people listed in a Musdesus)
goes in `extra`: name -> a JSON-safe value the caller computes the same way when reading and inside the save. A record
found by its owner and made on its first save (a Musdesus per cooperative, a letterhead per region, a draft report per
period) is read as an unsaved instance (its defaults) under a `key` that does not change when it is created, e.g.
`key=f"musdesus:cooperative={pk}"`; the token then says "read when there was none yet".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.audit.models import AuditEntry
from kopdes.audit.services import snapshot

READ_TOKEN_FIELD = "dibaca"  # the hidden field's name in every edit form
_SALT = "kopdes.audit.stale"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def read_token(
    obj: models.Model, fields: list[str], *, extra: dict[str, Any] | None = None, key: str | None = None
) -> str:
    """The token of `obj` as stored now (read afresh: an object in memory may hold values not yet normalised by the
    database, 0 for 0.00; an unsaved `obj` gives its defaults): the identity (`key`, else model and pk) and a digest
    of each listed field and each `extra` value, signed with SECRET_KEY."""
    stored = obj.__class__._base_manager.get(pk=obj.pk) if obj.pk is not None else obj  # __class__: a lazy user too
    return _sign(key or _key(obj), {**snapshot(stored, fields), **(extra or {})})


def _sign(identity: str, values: dict[str, Any]) -> str:
    payload = {"o": identity, "f": {name: _digest(value) for name, value in values.items()}}
    return signing.dumps(payload, salt=_SALT, compress=True)


@dataclass(frozen=True)
class Change:
    """A field someone else changed after the form was read."""

    field: str
    label: str
    yours: Any  # what the user sent (None: the form does not have the field)
    theirs: Any  # the value in the database now
    who: str
    when: datetime | None


def _shown(value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or _("(empty)")
    return str(value)


class StaleEdit(ValidationError):
    """The record changed after the form was read. `changes` lists the fields; `fresh_token` is the token of the
    record as it is now, for the form shown again (so sending it again, after checking, saves deliberately)."""

    def __init__(self, changes: list[Change], fresh_token: str):
        self.changes = changes
        self.fresh_token = fresh_token
        who, when = changes[0].who, changes[0].when
        shown_when = formats.date_format(timezone.localtime(when), "j M Y H:i") if when else "?"
        lines = [
            _(
                "Someone else saved this data after you opened the form (%(who)s, %(when)s). Nothing was saved; "
                "your input is kept below. Check the changes, then save again to overwrite them."
            )
            % {"who": who or _("unknown user"), "when": shown_when}
        ]
        for change in changes:
            lines.append(
                _("%(field)s: yours “%(yours)s”, now “%(theirs)s”.")
                % {"field": change.label, "yours": _shown(change.yours), "theirs": _shown(change.theirs)}
            )
        super().__init__(lines, code="stale")


def _label(obj: models.Model, name: str) -> str:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(field.verbose_name).capitalize() if isinstance(field, models.Field) else name


def check_fresh(
    current: models.Model,
    fields: list[str],
    token: str,
    *,
    submitted: dict[str, Any],
    extra: dict[str, Any] | None = None,
    key: str | None = None,
    labels: dict[str, str] | None = None,
    audited: models.Model | None = None,
) -> None:
    """Refuse a stale save. Call inside the save transaction with `current` locked (`select_for_update`).

    `token` is the form's READ_TOKEN_FIELD; `submitted` the user's values by name (shown back in the message);
    `extra` and `key` as given to `read_token` (the values now); `labels` names the `extra` values for the message;
    `audited` is the object whose audit entries say who changed it and when (default `current`). Raises
    ValidationError for a missing or forged token, `StaleEdit` when any listed value differs from the read."""
    try:
        payload = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("o") != (key or _key(current)):
        raise ValidationError(_("This form is out of date or incomplete. Open the page again."), code="no_token")
    now = {**snapshot(current, fields), **(extra or {})}
    seen = payload.get("f", {})
    # a value absent from the read was none then (an `extra` keyed by what the form chooses, e.g. a RAT's year)
    changed = [name for name in now if seen.get(name, _digest(None)) != _digest(now[name])]
    if not changed:
        return
    audited = audited or current
    entry = (
        AuditEntry.objects.filter(object_type=audited._meta.label_lower, object_id=str(audited.pk))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = ""
    if entry is not None and entry.actor is not None:
        who = entry.actor.get_full_name() or entry.actor.get_username()
    changes = [
        Change(
            field=name,
            label=(labels or {}).get(name) or _label(current, name),
            yours=submitted.get(name),
            theirs=getattr(current, name) if name in fields else now[name],
            who=who,
            when=entry.at if entry else None,
        )
        for name in changed
    ]
    raise StaleEdit(changes, _sign(key or _key(current), now))


class ReadTokenField(forms.CharField):
    """The hidden read token of an edit form (required: a form without it is refused, never saved blindly)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault(
            "error_messages", {"required": gettext_lazy("This form is out of date or incomplete. Open the page again.")}
        )
        super().__init__(**kwargs)


def keep_after_stale(form: forms.BaseForm, error: ValidationError) -> None:
    """After a refused stale save: put the record's current token into the form shown again (its other input stays as
    typed), so sending it again after checking the changes saves deliberately. Marks the form `stale` (HTTP 409)."""
    if isinstance(error, StaleEdit) and form.is_bound:
        data = cast(QueryDict, form.data).copy()  # a bound form's data: a QueryDict, or a dict in tests
        data[form.add_prefix(READ_TOKEN_FIELD)] = error.fresh_token
        form.data = data
        form.stale = error.changes  # type: ignore[attr-defined]  # a marker any form may carry (core.forms.form_status)
