"""Writes of issuers: their letterhead, signers, and the numbers of the papers they issue. Audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh
from kopdes.cleaners.nip import clean_nip
from kopdes.documents.models import (
    CIVIL_SERVANT_ROLES,
    ROLES_OF_ISSUER,
    IssuedPaper,
    Issuer,
    IssuerKind,
    LetterCounter,
    PaperDraft,
    Signer,
)
from kopdes.documents.numbering import check_template, render_number
from kopdes.documents.policy import kind_fits_region, may_edit_issuer
from kopdes.documents.selectors import (
    DRAFT_FIELDS,
    FIELDS,
    READ_FIELDS,
    SIGNER_FIELDS,
    _draft_key,
    default_issuer,
    read_key,
)
from kopdes.files.uploads import atomic_with_files, check_upload
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User

PAPER_FIELDS = ["number", "serial", "year", "date_of_issue", "kind", "subject_key"]


def _saved(issuer: Issuer) -> Issuer:
    """The issuer's row, made from its defaults on first use (two callers at once get the same row)."""
    if issuer.pk is not None:
        return issuer
    lookup = (
        {"kind": issuer.kind, "cooperative_pk": issuer.cooperative_pk}
        if issuer.kind == IssuerKind.COOPERATIVE
        else {"kind": issuer.kind, "region": issuer.region}
    )
    defaults = {name: getattr(issuer, name) for name in FIELDS}
    defaults["region"] = issuer.region
    row, _created = Issuer.objects.get_or_create(**lookup, defaults=defaults)
    return row


def update_issuer(*, actor: User, issuer: Issuer, logo=None, read: str | None = None, **values) -> Issuer:
    """The issuer's own people edit its letterhead and number format (`policy`). Audited; the logo must be a PNG or
    JPEG by its content; the number format is checked (`numbering.check_template`); an empty place of signing takes
    the region's name. `read`: the form's token (`selectors.issuer_token`); a change by someone else after it was
    read raises `StaleEdit`. `issuer` may be unsaved (its defaults): it is made on this first save."""
    if not may_edit_issuer(actor, issuer.kind, issuer.region):
        raise PermissionDenied
    checked = _check_input(issuer, logo, values)
    with atomic_with_files() as store:
        if issuer.pk is None:
            found = _lookup(issuer).select_for_update().first()
        else:
            found = Issuer.objects.select_for_update().get(pk=issuer.pk)
        if read is not None:
            empty = Issuer(kind=issuer.kind, region=issuer.region, cooperative_pk=issuer.cooperative_pk)
            check_fresh(found or empty, READ_FIELDS, read, submitted=values, key=read_key(issuer))
        row = found or _saved(issuer)
        before = snapshot(row, READ_FIELDS) if found else {}
        for name in FIELDS:
            if name in values:
                setattr(row, name, values[name])
        if logo is not None:
            store.save(row.logo, checked)
        row.updated_at, row.updated_by = timezone.now(), actor
        row.save()
        record_audit(
            actor=actor,
            action="documents.update_issuer",
            obj=row,
            region_code=row.region.code,
            before=before,
            after=snapshot(row, READ_FIELDS),
        )
    return row


def _check_input(issuer: Issuer, logo, values: dict):
    """The checked logo (or None); refuses a bad number format or a logo that is no image; fills the place of
    signing from the region when left empty (`values` is changed in place)."""
    if "number_template" in values:
        try:
            check_template(values["number_template"])
        except ValidationError as error:
            raise ValidationError({"number_template": error.messages}) from error
    if "city" in values and not values["city"].strip():
        values["city"] = issuer.region.name
    if logo is None:
        return None
    try:
        checked = check_upload(logo)
    except ValidationError as error:
        raise ValidationError({"logo": error.messages}) from error
    if checked.content_type == "application/pdf":
        raise ValidationError({"logo": [_("The logo must be a PNG or JPEG image.")]})
    return checked


def _lookup(issuer: Issuer):
    if issuer.kind == IssuerKind.COOPERATIVE:
        return Issuer.objects.filter(kind=issuer.kind, cooperative_pk=issuer.cooperative_pk)
    return Issuer.objects.filter(kind=issuer.kind, region=issuer.region)


def update_letterhead(*, actor: User, region: Region, logo=None, read: str | None = None, **values) -> Issuer:
    """The office's letterhead on `region` (a regency or province): `update_issuer` of its office issuer."""
    from kopdes.documents.selectors import issuer_for

    if not kind_fits_region(IssuerKind.OFFICE, region):
        raise PermissionDenied
    return update_issuer(actor=actor, issuer=issuer_for(IssuerKind.OFFICE, region), logo=logo, read=read, **values)


def ensure_cooperative_issuer(*, cooperative_pk: int, region: Region, name: str) -> Issuer:
    """The cooperative's own issuer (its kop from the RAT on), made from defaults on first call. Called by the layer
    that knows the cooperative (formation, cooperatives); `region`: its village; `name`: its name."""
    existing = Issuer.objects.filter(kind=IssuerKind.COOPERATIVE, cooperative_pk=cooperative_pk).first()
    if existing is not None:
        return existing
    return _saved(default_issuer(IssuerKind.COOPERATIVE, region, cooperative_pk=cooperative_pk, name=name))


def _clean_signer(issuer: Issuer, values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    role = values.get("role", "")
    if role not in ROLES_OF_ISSUER.get(issuer.kind, ()):
        errors["role"] = [_("This position does not sign for this issuer.")]
    nip = (values.get("nip") or "").strip()
    if role in CIVIL_SERVANT_ROLES:
        try:
            values["nip"] = clean_nip(nip)
        except ValidationError as error:
            errors["nip"] = error.messages
    elif nip:
        errors["nip"] = [_("Only civil servants (camat, lurah, office staff) sign with an NIP; leave it empty.")]
    else:
        values["nip"] = ""
        values["rank"] = values.get("rank", "")
    if not (values.get("name") or "").strip():
        errors["name"] = [_("Enter the signer's name.")]
    if errors:
        raise ValidationError(errors)
    return values


def save_signer(
    *, actor: User, issuer: Issuer, signer: Signer | None = None, read: str | None = None, **values
) -> Signer:
    """Add (`signer` None) or change a signer of `issuer`: role (a SignerRole the issuer's kind signs with), name,
    position as printed, rank, NIP (required and checked for civil servants, refused for others), order, is_active.
    Never deleted: a signer who left is made inactive. Audited; `read`: the edit form's token."""
    if not may_edit_issuer(actor, issuer.kind, issuer.region):
        raise PermissionDenied
    values = _clean_signer(issuer, dict(values))
    with transaction.atomic():
        issuer = _saved(issuer)
        if signer is not None:
            signer = Signer.objects.select_for_update().get(pk=signer.pk, issuer=issuer)
            if read is not None:
                check_fresh(signer, SIGNER_FIELDS, read, submitted=values)
            before = snapshot(signer, SIGNER_FIELDS)
        else:
            signer, before = Signer(issuer=issuer), {}
        for name in SIGNER_FIELDS:
            if name in values:
                setattr(signer, name, values[name])
        signer.updated_at, signer.updated_by = timezone.now(), actor
        signer.save()
        record_audit(
            actor=actor,
            action="documents.save_signer",
            obj=signer,
            region_code=issuer.region.code,
            before=before,
            after=snapshot(signer, SIGNER_FIELDS),
        )
    return signer


def issue_paper(
    issuer: Issuer,
    kind: str,
    subject_key: str,
    date_of_issue: date,
    actor: User | None,
    *,
    summary: str = "",
    classification: str | None = None,
) -> IssuedPaper:
    """Issue a paper of `issuer`: take the next serial of the year of `date_of_issue` and record the number.

    Idempotent: a paper already issued for (issuer, kind, subject_key) is returned as it was (same number, same date
    of issue, whatever `date_of_issue` is now). Numbers are never reused: the per-issuer-per-year counter row is
    locked with select_for_update (PostgreSQL; SQLite serialises writers) and the register has unique
    (issuer, year, serial). `classification`: the code for this paper, else the issuer's. The caller has already
    checked that `actor` may make this paper. Audited."""
    with transaction.atomic():
        issuer = _saved(issuer)
        existing = IssuedPaper.objects.filter(issuer=issuer, kind=kind, subject_key=subject_key).first()
        if existing is not None:
            return existing
        LetterCounter.objects.get_or_create(issuer=issuer, year=date_of_issue.year)
        counter = LetterCounter.objects.select_for_update().get(issuer=issuer, year=date_of_issue.year)
        # a second caller for the same paper waited on the lock above: it finds the first one's paper now
        existing = IssuedPaper.objects.filter(issuer=issuer, kind=kind, subject_key=subject_key).first()
        if existing is not None:
            return existing
        counter.last_serial += 1
        counter.save(update_fields=["last_serial"])
        code = issuer.classification if classification is None else classification
        paper = IssuedPaper.objects.create(
            issuer=issuer,
            kind=kind,
            subject_key=subject_key,
            summary=summary[:300],
            year=date_of_issue.year,
            serial=counter.last_serial,
            classification=code,
            unit_code=issuer.unit_code,
            number=render_number(
                issuer.number_template,
                serial=counter.last_serial,
                on=date_of_issue,
                classification=code,
                unit=issuer.unit_code,
            ),
            date_of_issue=date_of_issue,
            issued_by=actor,
        )
        record_audit(
            actor=actor,
            action="documents.issue_paper",
            obj=paper,
            region_code=issuer.region.code,
            after=snapshot(paper, PAPER_FIELDS),
        )
    return paper


def change_date_of_issue(paper: IssuedPaper, new_date: date, actor: User | None) -> IssuedPaper:
    """Always refused: the date of an issued paper is frozen with its number (it is editable before, where the
    paper's own page keeps the planned date)."""
    raise ValidationError(
        {
            "date_of_issue": [
                _("This paper was issued on %(date)s with number %(number)s; its date can no longer change.")
                % {"date": paper.date_of_issue.strftime("%d-%m-%Y"), "number": paper.number}
            ]
        }
    )


def plan_date_of_issue(
    issuer: Issuer, kind: str, subject_key: str, planned: date, actor: User | None, *, read: str | None = None
) -> PaperDraft:
    """Set the date a paper not yet issued will carry (its draft prints it; `issue_paper` is then called with it).
    Refused once the paper is issued (`change_date_of_issue`'s message: the date is frozen with the number).
    `read`: the date form's token (`selectors.draft_token`); a change by someone else after it was read raises
    `StaleEdit`. The caller has checked that `actor` may make this paper. Audited."""
    with transaction.atomic():
        issuer = _saved(issuer)
        issued = IssuedPaper.objects.filter(issuer=issuer, kind=kind, subject_key=subject_key).first()
        if issued is not None:
            change_date_of_issue(issued, planned, actor)
        found = PaperDraft.objects.select_for_update().filter(issuer=issuer, kind=kind, subject_key=subject_key)
        draft = found.first() or PaperDraft(issuer=issuer, kind=kind, subject_key=subject_key)
        key = _draft_key(issuer, kind, subject_key)
        if read is not None:
            check_fresh(draft, DRAFT_FIELDS, read, submitted={"planned_date": planned}, key=key)
        before = snapshot(draft, DRAFT_FIELDS) if draft.pk else {}
        draft.planned_date, draft.updated_at, draft.updated_by = planned, timezone.now(), actor
        draft.save()
        record_audit(
            actor=actor,
            action="documents.plan_date_of_issue",
            obj=draft,
            region_code=issuer.region.code,
            before=before,
            after=snapshot(draft, DRAFT_FIELDS),
        )
    return draft


__all__ = [
    "change_date_of_issue",
    "plan_date_of_issue",
    "ensure_cooperative_issuer",
    "issue_paper",
    "save_signer",
    "update_issuer",
    "update_letterhead",
]
