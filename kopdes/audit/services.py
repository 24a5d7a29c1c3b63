from __future__ import annotations

from typing import Any

from django.db import models

from kopdes.audit.models import AuditEntry
from kopdes.core.nik import mask_personal_data


def record_audit(
    *,
    actor,  # an account (accounts.User), None for the system; untyped: audit lies below accounts
    action: str,
    obj: models.Model | None = None,
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    source: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Write one audit entry. Every service calls this inside its transaction; NIK values are masked before storing."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=mask_personal_data(object_repr),
        region_code=region_code,
        before=mask_personal_data(before),
        after=mask_personal_data(after),
        source=source,
    )


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The listed fields of `obj` as JSON-safe values, for the before/after of an audit entry."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        data[name] = value
    return data
