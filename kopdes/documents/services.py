from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import in_scope
from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh
from kopdes.documents.models import Letterhead
from kopdes.documents.selectors import FIELDS, READ_FIELDS, read_key
from kopdes.files.uploads import atomic_with_files, check_upload
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def update_letterhead(*, actor: User, region: Region, logo=None, read: str | None = None, **values) -> Letterhead:
    """Admin dinas edits the kop surat of its office. Audited; the logo must be a PNG or JPEG by its content.
    `read`: the form's token (`letterhead_token`); a change by someone else after it was read raises `StaleEdit`."""
    if not in_scope(actor, region.code, Cap.MANAGE_USERS) or not in_scope(actor, region.code, Cap.VERIFY):
        raise PermissionDenied
    if logo is not None:
        try:
            checked = check_upload(logo)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from error
        if checked.content_type == "application/pdf":
            raise ValidationError({"logo": [_("The logo must be a PNG or JPEG image.")]})
    with atomic_with_files() as store:
        if read is not None:
            own = Letterhead.objects.select_for_update().filter(region=region).first() or Letterhead(region=region)
            check_fresh(own, READ_FIELDS, read, submitted=values, key=read_key(region))
        letterhead, _created = Letterhead.objects.select_for_update().get_or_create(
            region=region, defaults={name: values.get(name, "") for name in FIELDS}
        )
        before = snapshot(letterhead, FIELDS + ["logo"])
        for name in FIELDS:
            if name in values:
                setattr(letterhead, name, values[name])
        if logo is not None:
            store.save(letterhead.logo, checked)
        letterhead.updated_at, letterhead.updated_by = timezone.now(), actor
        letterhead.save()
        record_audit(
            actor=actor,
            action="documents.update_letterhead",
            obj=letterhead,
            region_code=region.code,
            before=before,
            after=snapshot(letterhead, FIELDS + ["logo"]),
        )
    return letterhead
