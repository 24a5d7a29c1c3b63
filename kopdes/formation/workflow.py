"""The formation workflow in one table: stages, what evidence each needs, and which moves are allowed.

The stages follow the programme's formation procedure (SE Menkop 1/2025, Juklak Menkop 1/2025, SE Mendes PDT 6/2025 for
the Musdesus, Permenkum 13/2025 for the legal entity). A stage counts once the office verifies it. Evidence is written
into the cooperative's own fields (`date_field`, `number_field`) when verified, so the registry after formation is the
same record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Pathway(models.TextChoices):
    PENDIRIAN_BARU = "pendirian_baru", _("New establishment (pendirian baru)")
    PENGEMBANGAN = "pengembangan", _("Development of an existing cooperative (pengembangan)")
    REVITALISASI = "revitalisasi", _("Revitalisation (revitalisasi)")


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    label: str | Promise
    date_label: str | Promise = _("Date")
    number_label: str | Promise = _("Document number")
    date_field: str | None = None  # the Cooperative field the verified evidence date is written into
    number_field: str | None = None
    requires_number: bool = False
    requires_file: bool = False
    date_may_be_future: bool = False
    # Pathways for which this stage may be marked "not applicable" (tidak berlaku) instead of evidenced.
    may_not_apply: frozenset[str] = frozenset()


# Which stages may be passed over as "tidak berlaku", by pathway. A case whose pathway is not decided yet counts as
# pendirian baru (the strictest). Team, Musdesus held and the SK AHU are never skipped: they carry the decision and
# the legal status. Sosialisasi and scheduling are preparation; the Musdesus often doubles as the founding meeting.
# An existing cooperative (pengembangan, revitalisasi) already has its name and deed.
_ALL = frozenset(Pathway.values)
_EXISTING = frozenset({Pathway.PENGEMBANGAN, Pathway.REVITALISASI})

STAGES: tuple[Stage, ...] = (
    Stage(0, "belum_mulai", _("Not started")),
    Stage(
        1,
        "sosialisasi",
        _("Socialisation (sosialisasi)"),
        date_field="sosialisasi_date",
        number_label=_("Number of attendees"),
        may_not_apply=_ALL,
    ),
    Stage(
        2,
        "tim_fasilitator",
        _("Facilitator team formed"),
        date_label=_("Decree date"),
        number_label=_("Village head decree number"),
        date_field="team_formed_date",
        number_field="team_decree_number",
    ),
    Stage(
        3,
        "musdesus_dijadwalkan",
        _("Musdesus scheduled"),
        date_label=_("Musdesus date"),
        date_field="musdesus_scheduled_date",
        date_may_be_future=True,
        may_not_apply=_ALL,
    ),
    Stage(
        4,
        "musdesus_terlaksana",
        _("Musdesus held"),
        date_label=_("Musdesus date"),
        number_label=_("Berita Acara number"),
        date_field="musdesus_date",
        requires_file=True,
    ),
    Stage(
        5,
        "rapat_pendirian",
        _("Founding meeting"),
        date_label=_("Meeting date"),
        number_label=_("Berita Acara Pendirian number"),
        date_field="founding_meeting_date",
        requires_file=True,
        may_not_apply=_ALL,
    ),
    Stage(
        6,
        "nama_dipesan",
        _("Name booked (SABH)"),
        date_label=_("Booking date"),
        number_label=_("Booking number"),
        date_field="name_booked_date",
        may_not_apply=_EXISTING,
    ),
    Stage(
        7,
        "akta_notaris",
        _("Notarial deed"),
        date_label=_("Deed date"),
        number_label=_("Deed number"),
        date_field="deed_date",
        number_field="deed_number",
        requires_number=True,
        requires_file=True,
        may_not_apply=_EXISTING,
    ),
    Stage(
        8,
        "berbadan_hukum",
        _("Legal entity (SK AHU)"),
        date_label=_("SK date"),
        number_label=_("SK AHU number"),
        date_field="sk_ahu_date",
        number_field="sk_ahu_number",
        requires_number=True,
        requires_file=True,
    ),
    Stage(
        9,
        "legalitas_usaha",
        _("Business papers"),
        date_label=_("NIB date"),
        number_label=_("NIB"),
        date_field="nib_date",
        number_field="nib",
        requires_number=True,
    ),
    Stage(
        10,
        "terdaftar_simkopdes",
        _("Registered in SIMKOPDES"),
        date_label=_("Registration date"),
        number_label=_("SIMKOPDES account"),
        date_field="simkopdes_date",
        number_field="simkopdes_account",
    ),
    Stage(11, "beroperasi", _("Operating"), date_label=_("First outlet opened on"), date_field="operating_since"),
)

BY_NUMBER = {stage.number: stage for stage in STAGES}
FIRST, LAST = STAGES[0].number, STAGES[-1].number
MUSDESUS_HELD = 4
DEFAULT_FORMED_STAGE = 8
STAGE_CHOICES = [(stage.number, stage.label) for stage in STAGES]


def stage(number: int) -> Stage:
    return BY_NUMBER[number]


def may_skip(stage: Stage, pathway: str) -> bool:
    """Whether `stage` may be marked "tidak berlaku" for a case on `pathway` ("" = not decided: pendirian baru)."""
    return (pathway or Pathway.PENDIRIAN_BARU) in stage.may_not_apply


def skipped_between(current: int, target: int) -> list[Stage]:
    """Stages passed over when moving from the verified stage `current` straight to `target`."""
    return [BY_NUMBER[n] for n in range(current + 1, target)]


def dated_stages_before(target: int) -> list[Stage]:
    """Stages whose evidence date a later stage's date must not precede (Musdesus held onward; scheduling excluded)."""
    return [s for s in STAGES if MUSDESUS_HELD <= s.number < target and s.date_field]


# An existing cooperative (pengembangan, revitalisasi) brings its deed and SK AHU from before the programme, and its
# amendment deed comes after the Musdesus: their dates follow no order against the other stages'.
_UNORDERED_FOR_EXISTING = frozenset({7, 8})


def must_follow(later: Stage, earlier: Stage, pathway: str) -> bool:
    """Whether `later`'s evidence date may not precede `earlier`'s on `pathway` ("" = pendirian baru): for a new
    cooperative a deed before the Musdesus or an SK before the deed is impossible (the order of formation in
    SE Menkop 1/2025); an existing cooperative's deed and SK may be older than anything of the programme."""
    if (pathway or Pathway.PENDIRIAN_BARU) in _EXISTING and {later.number, earlier.number} & _UNORDERED_FOR_EXISTING:
        return False
    return True


def out_of_order(dates, pathway: str, upto: int) -> list[tuple[Stage, Stage]]:
    """(later, earlier) pairs among the dated stages from the Musdesus up to `upto` whose dates run backwards on
    `pathway`; `dates` maps date fields to dates (None or absent: not known)."""
    dated = [(s, dates.get(s.date_field)) for s in dated_stages_before(upto + 1)]
    dated = [(s, d) for s, d in dated if d]
    return [
        (later, earlier)
        for i, (later, then) in enumerate(dated)
        for earlier, first in dated[:i]
        if then < first and must_follow(later, earlier, pathway)
    ]


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class MoveKind(models.TextChoices):
    CREATED = "created", _("Record created")
    SUBMITTED = "submitted", _("Evidence submitted")
    VERIFIED = "verified", _("Verified by the office")
    RETURNED = "returned", _("Returned by the office")
    NOT_APPLICABLE = "not_applicable", _("Marked not applicable")
    STEP_BACK = "step_back", _("Stepped back")
    MERGED = "merged", _("Merged")


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public (may be shown in aggregated reports)")
    INTERNAL = "internal", _("Internal (users with access to the village)")
    SENSITIVE = "sensitive", _("Sensitive (personal data, e.g. KTP scans)")
