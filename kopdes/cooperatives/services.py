"""Registry writes: profile, board, members, outlets, RAT and health snapshots.

Every function is keyword-only, takes the acting user, checks the registry rule (`access.can_edit_registry`), runs in
one transaction and writes an audit entry with before/after (NIKs masked by `record_audit`). Nothing is deleted: a
seat is ended, a member marked left, an outlet closed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh, read_token
from kopdes.cleaners.dates import membership_errors
from kopdes.cleaners.nik import is_valid_nik, normalise, parse_nik
from kopdes.clock import local_today
from kopdes.cooperatives.access import can_edit_registry
from kopdes.cooperatives.health import health_for
from kopdes.cooperatives.models import (
    AnnualMeeting,
    BoardMember,
    HealthSnapshot,
    Member,
    MemberStatus,
    Organ,
    Outlet,
    OutletStatus,
)
from kopdes.core.nik import mask_nik
from kopdes.files.uploads import atomic_with_files, check_upload
from kopdes.formation.models import Cooperative, Musdesus, ParticipantKind
from kopdes.formation.validators import check_coordinates, normalise_npwp, parse_kbli_codes
from kopdes.people import policy as roster_policy
from kopdes.people import services as roster_services
from kopdes.people.models import Person, Source

if TYPE_CHECKING:
    from kopdes.accounts.models import User

PROFILE_FIELDS = [
    "address",
    "nomor_induk_koperasi",
    "npwp",
    "kbli_codes",
    "bank_name",
    "bank_account_number",
    "bank_account_holder",
    "simkopdes_status",
]
SEAT_FIELDS = ["organ", "position", "name", "nik", "phone", "term_start", "term_end", "ended_at", "end_reason"]
MEMBER_FIELDS = [
    "nik",
    "name",
    "sex",
    "birth_date",
    "dusun",
    "rt",
    "join_date",
    "simpanan_pokok",
    "simpanan_wajib",
    "status",
    "left_date",
]
OUTLET_FIELDS = [
    "unit",
    "other_type",
    "name",
    "status",
    "progress_percent",
    "opened_on",
    "latitude",
    "longitude",
    "land_status",
    "land_note",
]
# the fields an edit form shows: a change to any of them after the form was read refuses its save (audit.stale)
MEMBER_EDIT_FIELDS = ["nik", "name", "dusun", "rt", "join_date", "simpanan_pokok", "simpanan_wajib"]
RAT_FIELDS = ["book_year", "held", "held_on", "note", "minutes_name"]


def _require(actor: User, cooperative: Cooperative) -> None:
    if not can_edit_registry(actor, cooperative):
        raise PermissionDenied


def _touch(cooperative: Cooperative, at: datetime) -> None:
    """Mark the registry as changed (the health view's "data updated"); the formation version is left alone so a
    village's open stage form stays valid."""
    Cooperative.objects.filter(pk=cooperative.pk).update(registry_updated_at=at)
    cooperative.registry_updated_at = at


def note_registry_change(*, cooperative: Cooperative, at: datetime | None = None) -> None:
    """After any write to a cooperative's registry (also a bulk member import): mark the registry as changed and
    store today's health score. Call inside the writing transaction."""
    at = at or timezone.now()
    _touch(cooperative, at)
    # read the record afresh: the caller's copy may predate other writes (a stage verified meanwhile)
    fresh = Cooperative.objects.filter(pk=cooperative.pk)
    record_health_scores(cooperatives=fresh, today=local_today(cooperative.region_code))


# Profile ---------------------------------------------------------------------------------------------------------


def update_profile(
    *, actor: User, cooperative: Cooperative, version: int | None = None, read: str | None = None, **fields
) -> Cooperative:
    """Change the registry profile (address, Nomor Induk Koperasi, NPWP, KBLI codes, bank account, SIMKOPDES status).
    A change by someone else after the form was read is refused: `read` is the edit form's token (`audit.stale`,
    raises `StaleEdit` naming the fields changed meanwhile), `version` the record's version (callers without a form)."""
    _require(actor, cooperative)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    if "npwp" in fields:
        fields["npwp"] = normalise_npwp(fields["npwp"])
    if "kbli_codes" in fields:
        fields["kbli_codes"] = parse_kbli_codes(fields["kbli_codes"])
    now = timezone.now()
    with transaction.atomic():
        current = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        if read is not None:
            check_fresh(current, PROFILE_FIELDS, read, submitted=fields)
        elif version is not None and current.version != version:
            raise ValidationError(
                _("This village's data was changed by someone else a moment ago. Check the page again, then resend.")
            )
        before = snapshot(current, PROFILE_FIELDS)
        Cooperative.objects.filter(pk=current.pk).update(
            version=F("version") + 1, updated_at=now, updated_by=actor, registry_updated_at=now, **fields
        )
        current.refresh_from_db()
        record_audit(
            actor=actor,
            action="cooperative.profile_update",
            obj=current,
            region_code=current.region_code,
            before=before,
            after=snapshot(current, PROFILE_FIELDS),
        )
        record_health_scores(cooperatives=[current], today=local_today(current.region_code))
    return current


# Board -----------------------------------------------------------------------------------------------------------


def _clean_seat(organ: str, name: str, nik: str, term_start, term_end) -> str:
    errors: dict[str, str | list[str]] = {}
    if organ not in Organ.values:
        errors["organ"] = _("Choose pengurus or pengawas.")
    if not (name or "").strip():
        errors["name"] = _("Give the name.")
    if nik:
        try:
            nik = parse_nik(nik).value
        except ValidationError as error:
            errors["nik"] = error.messages
    if term_start and term_end and term_end < term_start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    return nik


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def through_roster(*, actor: User, village_code: str, person: Person | None, fields: dict, add: bool = True) -> dict:
    """One NIK per person: the fields of a board seat or a member (`name`, `nik`, and `dusun`, `rt`, `phone` when the
    form has them) checked against the village's roster (people) and completed from it.

    - A picked `person`: empty fields take the roster's values; a typed NIK that differs from the person's is refused
      (ValidationError on "nik"); a typed NIK for a person who has none is written to the roster.
    - Nobody picked, a NIK typed: a roster person with that NIK under another name is refused; with the same name,
      it is that person.
    - Nobody picked and not on the roster: the person is added to it (`add`, when `actor` may edit the roster).
    Returns the fields, completed. Source of the rule: docs/glossary.md (daftar warga: a village's people entered
    once; else "the same person ends up with different NIKs as board member and as member")."""
    fields = dict(fields)
    nik = normalise(fields.get("nik") or "")
    if person is not None:
        return _from_person(actor, village_code, person, fields, nik)
    if nik:
        known = Person.objects.of_village(village_code).on_roster().filter(nik=nik).first()
        if known is not None and not _same_name(known.name, fields.get("name") or ""):
            raise ValidationError(
                {
                    "nik": _("This NIK is on the village's roster as %(name)s: pick that person, or correct the NIK.")
                    % {"name": known.name}
                }
            )
        if known is not None:
            return fields
    if add and (fields.get("name") or "").strip() and roster_policy.may_edit(actor, village_code):
        data = {key: fields.get(key, "") for key in ("name", "dusun", "rt", "phone")}
        try:
            roster_services.add_people(
                actor=actor, village_code=village_code, rows=[(1, {**data, "nik": nik})], source=Source.FORM
            )
        except ValidationError:
            pass  # a detail the roster refuses (an RT typed as words) never blocks the registry; its checks follow
    return fields


def _from_person(actor: User, village_code: str, person: Person, fields: dict, nik: str) -> dict:
    """`through_roster` for a picked person."""
    if person.village_code != village_code:
        raise ValidationError({"person": _("Pick a person from the village's roster.")})
    if nik and person.nik and nik != person.nik:
        raise ValidationError(
            {
                "nik": _(
                    "%(name)s is on the village's roster with the NIK %(roster)s: a person has one NIK. Clear the "
                    "NIK here, or correct it on the roster."
                )
                % {"name": person.name, "roster": mask_nik(person.nik)}
            }
        )
    if nik and not person.nik and roster_policy.may_edit(actor, village_code):
        data = {key: getattr(person, key) for key in ("name", "sex", "dusun", "rt", "rw", "phone", "position")}
        person = roster_services.update_person(actor=actor, person=person, data={**data, "nik": nik})
    fields["name"] = person.name
    fields["nik"] = person.nik or nik
    for key in ("dusun", "rt", "phone"):
        if key in fields and not (fields[key] or "").strip():
            fields[key] = getattr(person, key)
    return fields


def add_seat(
    *,
    actor: User,
    cooperative: Cooperative,
    organ: str,
    name: str,
    position: str = "",
    nik: str = "",
    phone: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    source: str = "form",
) -> BoardMember:
    """Seat a person on the pengurus or pengawas for a term of office."""
    _require(actor, cooperative)
    nik = _clean_seat(organ, name, normalise(nik), term_start, term_end)
    now = timezone.now()
    with transaction.atomic():
        seat = BoardMember.objects.create(
            cooperative=cooperative,
            organ=organ,
            position=position,
            name=name.strip(),
            nik=nik,
            phone=phone.strip(),
            term_start=term_start,
            term_end=term_end,
            created_by=actor,
        )
        record_audit(
            actor=actor,
            action="board.seat_add",
            obj=seat,
            region_code=cooperative.region_code,
            after=snapshot(seat, SEAT_FIELDS),
            source=source,
        )
        note_registry_change(cooperative=cooperative, at=now)
    return seat


def end_seat(*, actor: User, seat: BoardMember, ended_at: date, reason: str, source: str = "form") -> BoardMember:
    """End a sitting seat (resigned, replaced, term over, died...). The row stays as history."""
    cooperative = seat.cooperative
    _require(actor, cooperative)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason the seat ends.")})
    now = timezone.now()
    with transaction.atomic():
        seat = BoardMember.objects.select_for_update().get(pk=seat.pk)
        if seat.ended_at is not None:
            raise ValidationError(_("This seat has already ended."))
        if seat.term_start and ended_at < seat.term_start:
            raise ValidationError({"ended_at": _("The seat cannot end before its term started.")})
        before = snapshot(seat, SEAT_FIELDS)
        seat.ended_at, seat.end_reason = ended_at, reason.strip()[:200]
        seat.save(update_fields=["ended_at", "end_reason"])
        record_audit(
            actor=actor,
            action="board.seat_end",
            obj=seat,
            region_code=cooperative.region_code,
            before=before,
            after=snapshot(seat, SEAT_FIELDS),
            source=source,
        )
        note_registry_change(cooperative=cooperative, at=now)
    return seat


def replace_seat(
    *, actor: User, seat: BoardMember, ended_at: date, reason: str, successor: dict, source: str = "form"
) -> BoardMember:
    """End a seat and seat the successor in the same organ and position, in one transaction."""
    with transaction.atomic():
        end_seat(actor=actor, seat=seat, ended_at=ended_at, reason=reason, source=source)
        return add_seat(
            actor=actor,
            cooperative=seat.cooperative,
            organ=seat.organ,
            position=seat.position,
            source=source,
            **{"term_start": ended_at, "term_end": seat.term_end, **successor},
        )


def take_over_board_from_musdesus(
    *, actor: User, cooperative: Cooperative, term_start: date | None, term_end: date | None
) -> list[BoardMember]:
    """Seat the pengurus and pengawas candidates the Musdesus elected, when the board is still empty."""
    _require(actor, cooperative)
    if cooperative.board_members.filter(ended_at__isnull=True).exists():
        raise ValidationError(_("The board already has sitting members: add or replace seats one by one."))
    musdesus = Musdesus.objects.filter(cooperative=cooperative).first()
    people = (
        list(
            musdesus.people.filter(kind__in=[ParticipantKind.PENGURUS, ParticipantKind.PENGAWAS]).order_by(
                "kind", "order", "id"
            )
        )
        if musdesus
        else []
    )
    if not people:
        raise ValidationError(_("The Musdesus of this cooperative recorded no pengurus or pengawas candidates."))
    with transaction.atomic():
        return [
            add_seat(
                actor=actor,
                cooperative=cooperative,
                organ=Organ.PENGURUS if p.kind == ParticipantKind.PENGURUS else Organ.PENGAWAS,
                position=p.position,
                name=p.name,
                nik=p.nik if is_valid_nik(p.nik) else "",  # a malformed NIK stays in the Musdesus papers
                term_start=term_start,
                term_end=term_end,
                source="musdesus",
            )
            for p in people
        ]


# Members ---------------------------------------------------------------------------------------------------------


def _member_fields(
    nik: str, name: str, simpanan_pokok, simpanan_wajib, *, join_date=None, left_date=None, region_code: str
) -> dict:
    errors: dict[str, str | list[str]] = {}
    dated = membership_errors(join_date, left_date, today=local_today(region_code))
    if dated:
        errors["join_date"] = dated
    derived = {}
    try:
        parsed = parse_nik(nik)
        derived = {"nik": parsed.value, "sex": parsed.sex, "birth_date": parsed.birth_date}
    except ValidationError as error:
        errors["nik"] = error.messages
    if not (name or "").strip():
        errors["name"] = _("Give the name.")
    for key, value in (("simpanan_pokok", simpanan_pokok), ("simpanan_wajib", simpanan_wajib)):
        if value is not None and Decimal(value) < 0:
            errors[key] = _("An amount paid cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return derived


def add_member(
    *,
    actor: User,
    cooperative: Cooperative,
    nik: str,
    name: str,
    dusun: str = "",
    rt: str = "",
    join_date: date | None = None,
    simpanan_pokok: Decimal | int = 0,
    simpanan_wajib: Decimal | int = 0,
    source: str = "form",
) -> Member:
    """Register a member; sex and birth date come from the NIK. Warnings (`member_warnings`) never block."""
    _require(actor, cooperative)
    derived = _member_fields(
        nik, name, simpanan_pokok, simpanan_wajib, join_date=join_date, region_code=cooperative.region_code
    )
    now = timezone.now()
    if Member.objects.filter(cooperative=cooperative, nik=derived["nik"]).exists():
        raise ValidationError({"nik": _("This NIK is already a member of this cooperative (active or left).")})
    try:
        with transaction.atomic():
            member = Member.objects.create(
                cooperative=cooperative,
                name=name.strip(),
                dusun=dusun.strip(),
                rt=rt.strip(),
                join_date=join_date,
                simpanan_pokok=simpanan_pokok or 0,
                simpanan_wajib=simpanan_wajib or 0,
                source=source,
                created_at=now,
                updated_at=now,
                **derived,
            )
            record_audit(
                actor=actor,
                action="member.add",
                obj=member,
                region_code=cooperative.region_code,
                after=snapshot(member, MEMBER_FIELDS),
                source=source,
            )
            note_registry_change(cooperative=cooperative, at=now)
    except IntegrityError as clash:  # the same NIK added a moment ago by someone else
        raise ValidationError(
            {"nik": _("This NIK is already a member of this cooperative (active or left).")}
        ) from clash
    return member


def update_member(
    *,
    actor: User,
    member: Member,
    nik: str,
    name: str,
    dusun: str = "",
    rt: str = "",
    join_date: date | None = None,
    simpanan_pokok: Decimal | int = 0,
    simpanan_wajib: Decimal | int = 0,
    read: str | None = None,
) -> Member:
    """Correct a member's data (a NIK typo included: sex and birth date follow the NIK). `read`: the edit form's
    token (`audit.stale`); a change by someone else after it was read raises `StaleEdit` and saves nothing."""
    cooperative = member.cooperative
    _require(actor, cooperative)
    derived = _member_fields(
        nik,
        name,
        simpanan_pokok,
        simpanan_wajib,
        join_date=join_date,
        left_date=member.left_date,
        region_code=cooperative.region_code,
    )
    if Member.objects.filter(cooperative=cooperative, nik=derived["nik"]).exclude(pk=member.pk).exists():
        raise ValidationError({"nik": _("This NIK is already a member of this cooperative (active or left).")})
    now = timezone.now()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if read is not None:
            submitted = {**derived, "name": name, "dusun": dusun, "rt": rt, "join_date": join_date}
            submitted.update(simpanan_pokok=simpanan_pokok, simpanan_wajib=simpanan_wajib)
            check_fresh(member, MEMBER_EDIT_FIELDS, read, submitted=submitted)
        before = snapshot(member, MEMBER_FIELDS)
        for key, value in {
            **derived,
            "name": name.strip(),
            "dusun": dusun.strip(),
            "rt": rt.strip(),
            "join_date": join_date,
            "simpanan_pokok": simpanan_pokok or 0,
            "simpanan_wajib": simpanan_wajib or 0,
            "updated_at": now,
        }.items():
            setattr(member, key, value)
        member.save()
        record_audit(
            actor=actor,
            action="member.update",
            obj=member,
            region_code=cooperative.region_code,
            before=before,
            after=snapshot(member, MEMBER_FIELDS),
        )
        note_registry_change(cooperative=cooperative, at=now)
    return member


def _set_member_status(*, actor: User, member: Member, status: str, left_date: date | None, action: str) -> Member:
    cooperative = member.cooperative
    _require(actor, cooperative)
    now = timezone.now()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status == status:
            raise ValidationError(
                _("This member has already left.") if status == MemberStatus.LEFT else _("This member is active.")
            )
        before = snapshot(member, MEMBER_FIELDS)
        member.status, member.left_date, member.updated_at = status, left_date, now
        member.save(update_fields=["status", "left_date", "updated_at"])
        record_audit(
            actor=actor,
            action=action,
            obj=member,
            region_code=cooperative.region_code,
            before=before,
            after=snapshot(member, MEMBER_FIELDS),
        )
        note_registry_change(cooperative=cooperative, at=now)
    return member


def mark_member_left(*, actor: User, member: Member, left_date: date) -> Member:
    """The member leaves: the row stays, with the date. Leaving before joining, or in the future (the village's
    local today), is refused."""
    errors = membership_errors(member.join_date, left_date, today=local_today(member.cooperative.region_code))
    if errors:
        raise ValidationError({"left_date": errors})
    return _set_member_status(
        actor=actor, member=member, status=MemberStatus.LEFT, left_date=left_date, action="member.left"
    )


def rejoin_member(*, actor: User, member: Member) -> Member:
    """A member who left becomes active again (the same row: one row per NIK per cooperative)."""
    return _set_member_status(
        actor=actor, member=member, status=MemberStatus.ACTIVE, left_date=None, action="member.rejoin"
    )


# Outlets ---------------------------------------------------------------------------------------------------------


def _clean_outlet(fields: dict) -> dict:
    errors: dict[str, str | list[str]] = {}
    if not fields.get("unit") and not (fields.get("other_type") or "").strip():
        errors["other_type"] = _("Choose a standard unit or describe the other type.")
    if fields.get("unit"):
        fields["other_type"] = ""
    status = fields.get("status")
    if status not in OutletStatus.values:
        errors["status"] = _("Choose a status.")
    progress = fields.get("progress_percent")
    if status == OutletStatus.CONSTRUCTION:
        if progress is None or not 0 <= progress <= 100:
            errors["progress_percent"] = _("Give the construction progress, 0 to 100 %.")
    else:
        fields["progress_percent"] = None
    if status == OutletStatus.OPEN and not fields.get("opened_on"):
        errors["opened_on"] = _("Give the date the outlet opened.")
    try:
        check_coordinates(fields.get("latitude"), fields.get("longitude"))
    except ValidationError as error:
        errors["latitude"] = error.messages
    if errors:
        raise ValidationError(errors)
    return fields


def save_outlet(
    *, actor: User, cooperative: Cooperative, outlet: Outlet | None = None, read: str | None = None, **fields
) -> Outlet:
    """Add an outlet (gerai) or change one (status, progress, opening date, land plot). `read`: the edit form's
    token (`audit.stale`); a change by someone else after it was read raises `StaleEdit` and saves nothing."""
    _require(actor, cooperative)
    unknown = set(fields) - set(OUTLET_FIELDS)
    if unknown:
        raise TypeError(f"not outlet fields: {sorted(unknown)}")
    fields = _clean_outlet(dict(fields))
    now = timezone.now()
    with transaction.atomic():
        if outlet is None:
            outlet, before, action = Outlet(cooperative=cooperative), None, "outlet.add"
        else:
            outlet = Outlet.objects.select_for_update().get(pk=outlet.pk, cooperative=cooperative)
            if read is not None:
                check_fresh(outlet, OUTLET_FIELDS, read, submitted=fields)
            before, action = snapshot(outlet, OUTLET_FIELDS), "outlet.update"
        for key, value in fields.items():
            setattr(outlet, key, value)
        outlet.updated_at, outlet.updated_by = now, actor
        outlet.save()
        record_audit(
            actor=actor,
            action=action,
            obj=outlet,
            region_code=cooperative.region_code,
            before=before,
            after=snapshot(outlet, OUTLET_FIELDS),
        )
        note_registry_change(cooperative=cooperative, at=now)
    return outlet


# RAT -------------------------------------------------------------------------------------------------------------


def _rats(cooperative: Cooperative, book_year: int | None = None) -> dict:
    """The recorded RATs as shown in a refusal, by name `rat_<year>` (all years, or the one given; None when that
    year has none yet)."""
    rows = AnnualMeeting.objects.filter(cooperative=cooperative).order_by("book_year")
    found = {f"rat_{rat.book_year}": _shown_rat(snapshot(rat, RAT_FIELDS).values()) for rat in rows}
    if book_year is None:
        return found
    return {f"rat_{book_year}": found.get(f"rat_{book_year}")}


def _shown_rat(values) -> str:
    return ", ".join(str(v) for v in values if v not in (None, ""))


def _rat_key(cooperative: Cooperative) -> str:
    return f"cooperatives.annualmeeting:cooperative={cooperative.pk}"


def rat_token(cooperative: Cooperative) -> str:
    """The read token (`audit.stale`) of every RAT recorded for the cooperative, for the RAT form (which changes the
    row of a book year already recorded)."""
    return read_token(cooperative, [], extra=_rats(cooperative), key=_rat_key(cooperative))


def record_rat(
    *,
    actor: User,
    cooperative: Cooperative,
    book_year: int,
    held: bool,
    held_on: date | None = None,
    note: str = "",
    minutes=None,
    read: str | None = None,
) -> AnnualMeeting:
    """Record the RAT of a book year (one row per year, changed in place): held or not, date, minutes file.
    `read`: the form's token (`rat_token`); the year's RAT recorded or changed by someone else after it was read
    raises `StaleEdit`."""
    _require(actor, cooperative)
    today = local_today(cooperative.region_code)
    errors: dict[str, str | list[str]] = {}
    if not 2000 <= book_year <= today.year:
        errors["book_year"] = _("Give a book year between 2000 and this year.")
    if held and not held_on:
        errors["held_on"] = _("Give the date the RAT was held.")
    if held_on and held_on > today:
        errors["held_on"] = _("The date cannot be in the future.")
    if not held and minutes:
        errors["minutes"] = _("Minutes belong to a RAT that was held.")
    found = None
    if minutes:
        try:
            found = check_upload(minutes)
        except ValidationError as error:
            errors["minutes"] = error.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with atomic_with_files() as store:
        rat = AnnualMeeting.objects.select_for_update().filter(cooperative=cooperative, book_year=book_year).first()
        if read is not None:
            yours = {"book_year": book_year, "held": held, "held_on": held_on, "note": note}
            check_fresh(
                cooperative,
                [],
                read,
                submitted={f"rat_{book_year}": _shown_rat(yours.values())},
                extra=_rats(cooperative, book_year),
                key=_rat_key(cooperative),
                labels={f"rat_{book_year}": _("RAT of book year %(year)s") % {"year": book_year}},
                audited=rat,
            )
        before = snapshot(rat, RAT_FIELDS) if rat else None
        rat = rat or AnnualMeeting(cooperative=cooperative, book_year=book_year)
        rat.held, rat.held_on, rat.note = held, held_on if held else None, note.strip()
        if found:
            store.save(rat.minutes, found)
            rat.minutes_sha256, rat.minutes_name, rat.minutes_type = found.sha256, found.name, found.content_type
        rat.updated_at, rat.updated_by = now, actor
        rat.save()
        record_audit(
            actor=actor,
            action="rat.record",
            obj=rat,
            region_code=cooperative.region_code,
            before=before,
            after=snapshot(rat, RAT_FIELDS),
        )
        note_registry_change(cooperative=cooperative, at=now)
    return rat


# Health ----------------------------------------------------------------------------------------------------------


def record_health_scores(*, cooperatives=None, today: date | None = None) -> int:
    """Store today's health score of each cooperative (all active ones when None): one row per cooperative and day,
    rewritten when run again the same day. Returns the number of rows written."""
    ids = None
    if cooperatives is None:
        cooperatives = Cooperative.objects.active()
        ids = cooperatives.values("pk")
    today = today or timezone.localdate()
    scores = health_for(cooperatives, today=today, ids=ids)
    with transaction.atomic():
        existing = dict(
            HealthSnapshot.objects.filter(
                cooperative_id__in=ids if ids is not None else list(scores), day=today
            ).values_list("cooperative_id", "id")
        )
        new: list[HealthSnapshot] = []
        changed: list[HealthSnapshot] = []
        for pk, health in scores.items():
            row = HealthSnapshot(
                id=existing.get(pk),
                cooperative_id=pk,
                day=today,
                score=health.score,
                out_of=health.out_of,
                passed=health.passed_keys,
            )
            (changed if row.id else new).append(row)
        HealthSnapshot.objects.bulk_create(new, batch_size=500)
        HealthSnapshot.objects.bulk_update(changed, ["score", "out_of", "passed"], batch_size=500)
    return len(scores)


def record_member_export(*, actor: User, cooperative: Cooperative, status: str, full_niks: bool) -> None:
    """Note in the audit log that `actor` downloaded the member list of `cooperative` (personal data left the system):
    which status was asked ("" = all) and whether the NIKs were in full. Writes nothing else."""
    record_audit(
        actor=actor,
        action="cooperative.export_members",
        obj=cooperative,
        region_code=cooperative.region_code,
        after={"status": status or "all", "full_niks": full_niks},
    )
