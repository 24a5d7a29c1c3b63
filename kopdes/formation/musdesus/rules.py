"""Rule checks on what a Musdesus decided (Juklak Menkop 1/2025 on the board and the name; UU 25/1992
as amended by UU 6/2023 on the nine founders).

Only two rules are errors by law (fewer than 9 founding members; one person in two positions of one board); the rest are
warnings until the office confirms the original texts. Each programme may change a rule's severity (`RuleSeverity`).
An error blocks submitting stage 4 for verification, never saving what the meeting decided.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kopdes.cleaners.nik import region_mismatch, unknown_region
from kopdes.core.nik import mask_nik
from kopdes.formation.models import (
    BoardPosition,
    Cooperative,
    Musdesus,
    Participant,
    ParticipantKind,
    RuleSeverity,
    Severity,
    VillageOffice,
)
from kopdes.regions.models import Kind, Region, subtree_q
from kopdes.regions.selectors import region_codes_in_force

MIN_FOUNDERS_LAW = 9
MIN_FOUNDERS_ADVISED = 20
MIN_PENGURUS = 5
# Two villages' attendance lists sharing at least this many NIKs, and this share of the smaller list, look copied.
COPIED_MIN_SHARED = 5
COPIED_MIN_SHARE = 0.3
REQUIRED_PENGURUS = (
    BoardPosition.KETUA,
    BoardPosition.WAKIL_USAHA,
    BoardPosition.WAKIL_KEANGGOTAAN,
    BoardPosition.SEKRETARIS,
    BoardPosition.BENDAHARA,
)


@dataclass(frozen=True)
class Rule:
    code: str
    default: str
    message: str | Promise  # formatted with the finding's params


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "founders_min_law",
            Severity.ERROR,
            _("Only %(count)s founding members: the law requires at least 9."),
        ),
        Rule(
            "same_person_two_positions",
            Severity.ERROR,
            _("%(name)s holds two positions on the %(board)s."),
        ),
        Rule("founders_below_20", Severity.WARNING, _("Only %(count)s founding members: the guideline advises 20.")),
        Rule(
            "pengurus_count",
            Severity.WARNING,
            _("%(count)s pengurus: the guideline asks for an odd number, at least 5."),
        ),
        Rule("pengurus_position_missing", Severity.WARNING, _("No pengurus holds the position “%(position)s”.")),
        Rule(
            "ketua_pengawas_not_head",
            Severity.WARNING,
            _("The ketua pengawas should be the village head or lurah (ex officio)."),
        ),
        Rule(
            "pengurus_village_leadership",
            Severity.WARNING,
            _("%(name)s is village leadership and should not be pengurus."),
        ),
        Rule(
            "no_family_ties_declaration",
            Severity.WARNING,
            _("No declaration that the board members have no first-degree family ties among them."),
        ),
        Rule("name_format", Severity.WARNING, _("The name should read “%(expected)s”.")),
        Rule(
            "name_clash",
            Severity.WARNING,
            _("Another cooperative in the regency has the name “%(name)s”: append “Kecamatan %(kecamatan)s”."),
        ),
        Rule(
            "nik_on_two_boards",
            Severity.WARNING,
            _("%(name)s (NIK %(nik)s) is also on the board of %(other)s."),
        ),
        Rule(
            "copied_attendance",
            Severity.WARNING,
            _("%(shared)s NIKs of the attendance list also attend the Musdesus of %(other)s: is the list copied?"),
        ),
        Rule(
            "nik_outside_kecamatan",
            Severity.WARNING,
            _("%(count)s NIKs were registered outside this kecamatan (people move: check their KTP)."),
        ),
        # A kabupaten or kecamatan code absent from the current list is not "outside the kecamatan": the NIK is
        # usually older than a split of its region (pemekaran).
        Rule(
            "nik_old_region_code",
            Severity.WARNING,
            _(
                "%(count)s NIKs: region code not in the latest list — perhaps an old code from before a pemekaran "
                "(check their KTP)."
            ),
        ),
    )
}


@dataclass
class Finding:
    rule: str
    severity: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(RULES[self.rule].message) % self.params

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def as_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "params": self.params}


def findings_from_json(data: list[dict]) -> list[Finding]:
    return [Finding(d["rule"], d["severity"], d.get("params", {})) for d in data or [] if d.get("rule") in RULES]


def musdesus_findings(cooperative: Cooperative) -> list[Finding]:
    """The findings recorded at the last save of the cooperative's Musdesus (none when it has none)."""
    data = Musdesus.objects.filter(cooperative=cooperative).values_list("findings", flat=True).first()
    return findings_from_json(data or [])


def severities(programme_id: int) -> dict[str, str]:
    table = {code: rule.default for code, rule in RULES.items()}
    table.update(dict(RuleSeverity.objects.filter(programme_id=programme_id).values_list("rule", "severity")))
    return table


def _key(person: Participant) -> str:
    """Who a person is for the board checks: the NIK when given, else the name as typed (case and spaces ignored)."""
    return person.nik or " ".join(person.name.lower().split())


def expected_names(cooperative: Cooperative, villages: list[Region]) -> list[str]:
    names = []
    for village in villages:
        word = "Kelurahan" if village.kind == Kind.KELURAHAN else "Desa"
        names.append(f"Koperasi {word} Merah Putih {village.name}")
    return names


def check(musdesus: Musdesus) -> list[Finding]:
    """Every rule against the Musdesus as saved; findings of severity "off" are left out."""
    cooperative = musdesus.cooperative
    table = severities(cooperative.programme_id)
    found: list[tuple[str, dict]] = []
    people = list(musdesus.people.all())
    by_kind: dict[str, list[Participant]] = {k: [] for k in ParticipantKind.values}
    for person in people:
        by_kind[person.kind].append(person)
    founders, pengurus, pengawas = (by_kind[k] for k in ("founder", "pengurus", "pengawas"))

    if len(founders) < MIN_FOUNDERS_LAW:
        found.append(("founders_min_law", {"count": len(founders)}))
    elif len(founders) < MIN_FOUNDERS_ADVISED:
        found.append(("founders_below_20", {"count": len(founders)}))

    for board, members in (("pengurus", pengurus), ("pengawas", pengawas)):
        counts = Counter(_key(p) for p in members)
        for person in members:
            if counts[_key(person)] > 1:
                found.append(("same_person_two_positions", {"name": person.name, "board": board}))
                counts[_key(person)] = 0  # once per person

    if len(pengurus) < MIN_PENGURUS or len(pengurus) % 2 == 0:
        found.append(("pengurus_count", {"count": len(pengurus)}))
    held = {p.position for p in pengurus}
    for position in REQUIRED_PENGURUS:
        if position not in held:
            found.append(("pengurus_position_missing", {"position": str(BoardPosition(position).label)}))
    ketua = [p for p in pengawas if p.position == BoardPosition.KETUA]
    if not ketua or ketua[0].village_office != VillageOffice.HEAD:
        found.append(("ketua_pengawas_not_head", {}))
    for person in pengurus:
        if person.village_office:
            found.append(("pengurus_village_leadership", {"name": person.name}))
    if not musdesus.no_family_ties_declared:
        found.append(("no_family_ties_declaration", {}))

    found.extend(_name_findings(musdesus))
    found.extend(_across_villages(musdesus, pengurus + pengawas, by_kind["attendee"]))

    niks = {p.nik for p in people if p.nik}
    in_force = region_codes_in_force() if niks else frozenset()
    old_codes = {nik for nik in niks if unknown_region(nik, in_force)}
    outside = {nik for nik in niks - old_codes if region_mismatch(nik, cooperative.region_code)}
    if old_codes:
        found.append(("nik_old_region_code", {"count": len(old_codes)}))
    if outside:
        found.append(("nik_outside_kecamatan", {"count": len(outside)}))

    return [
        Finding(rule, table[rule], params) for rule, params in found if table.get(rule, Severity.OFF) != Severity.OFF
    ]


def _name_findings(musdesus: Musdesus) -> list[tuple[str, dict]]:
    name = " ".join(musdesus.cooperative_name.split())
    if not name:
        return []
    cooperative = musdesus.cooperative
    villages = [m.village for m in cooperative.memberships.filter(left_at__isnull=True).select_related("village")]
    expected = expected_names(cooperative, villages)
    found: list[tuple[str, dict]] = []
    base = name.split(" Kecamatan ")[0]
    if expected and base.lower() not in {e.lower() for e in expected}:
        found.append(("name_format", {"expected": expected[0]}))
    kabupaten = ".".join(cooperative.region_code.split(".")[:2])
    others = (
        Cooperative.objects.active()
        .exclude(pk=cooperative.pk)
        .filter(subtree_q(kabupaten, "region_code"))
        .filter(Q(name__iexact=name) | Q(musdesus__cooperative_name__iexact=name))
    )
    if " Kecamatan " not in name and others.exists():
        kecamatan = Region.objects.filter(code=".".join(cooperative.region_code.split(".")[:3])).first()
        found.append(("name_clash", {"name": name, "kecamatan": kecamatan.name if kecamatan else ""}))
    return found


def _across_villages(
    musdesus: Musdesus, board: list[Participant], attendees: list[Participant]
) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    board_niks = {p.nik: p for p in board if p.nik}
    if board_niks:
        elsewhere = (
            Participant.objects.filter(
                nik__in=board_niks, kind__in=[ParticipantKind.PENGURUS, ParticipantKind.PENGAWAS]
            )
            .exclude(musdesus=musdesus)
            .filter(musdesus__cooperative__is_active=True)
            .select_related("musdesus__cooperative")
        )
        seen = set()
        for other in elsewhere:
            if other.nik in seen:
                continue
            seen.add(other.nik)
            person = board_niks[other.nik]
            found.append(
                (
                    "nik_on_two_boards",
                    {"name": person.name, "nik": mask_nik(person.nik), "other": other.musdesus.cooperative.name},
                )
            )
    niks = {p.nik for p in attendees if p.nik}
    if len(niks) >= COPIED_MIN_SHARED:
        shared = Counter(
            Participant.objects.filter(nik__in=niks, kind=ParticipantKind.ATTENDEE)
            .exclude(musdesus=musdesus)
            .filter(musdesus__cooperative__is_active=True)
            .values_list("musdesus__cooperative__name", flat=True)
        )
        for other_name, count in shared.items():
            if count >= COPIED_MIN_SHARED and count >= COPIED_MIN_SHARE * len(niks):
                found.append(("copied_attendance", {"shared": count, "other": other_name}))
    return found
