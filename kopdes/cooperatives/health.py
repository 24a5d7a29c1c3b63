"""The health score of a cooperative: a transparent checklist, one point per component passed.

Each component says whether it passed and why, in words the office can check against the record. Facts for many
cooperatives are read in a fixed number of queries (`health_for`), so the regency list does not grow in queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.cooperatives.models import AnnualMeeting, BoardMember, Member, MemberStatus, Organ, Outlet, OutletStatus
from kopdes.formation.models import BoardPosition

MINIMUM_MEMBERS = 9  # UU 25/1992 as amended by UU 6/2023: a primary cooperative has at least nine members
FRESH_DAYS = 90
REQUIRED_PENGURUS = (BoardPosition.KETUA, BoardPosition.SEKRETARIS, BoardPosition.BENDAHARA)

# The rules in words, shown on the page under the score.
RULES = [
    ("legal", gettext_lazy("Legal papers: deed number, SK AHU number, NIB and NPWP are all recorded.")),
    (
        "board",
        gettext_lazy(
            "Board: a sitting ketua, sekretaris and bendahara among the pengurus and at least one sitting pengawas, "
            "each with a term of office that has started and not ended, and nobody on both the pengurus and the "
            "pengawas."
        ),
    ),
    ("members", gettext_lazy("Members: at least 9 active members.")),
    ("outlet", gettext_lazy("Outlets: at least one outlet (gerai) open.")),
    ("rat", gettext_lazy("RAT: the annual members' meeting for last book year was held.")),
    ("fresh", gettext_lazy("Data updated: the record or its registry was changed in the last 90 days.")),
]
RULE_TEXT = dict(RULES)


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    passed: bool
    why: str


@dataclass
class Health:
    components: list[Component] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(1 for c in self.components if c.passed)

    @property
    def out_of(self) -> int:
        return len(self.components)

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.out_of) if self.out_of else 0

    @property
    def failed_labels(self) -> list[str]:
        return [c.label for c in self.components if not c.passed]

    @property
    def passed_keys(self) -> list[str]:
        return [c.key for c in self.components if c.passed]


def term_valid(seat, today: date) -> bool:
    return (seat.term_start is None or seat.term_start <= today) and (seat.term_end is None or seat.term_end >= today)


def board_problems(seats, today: date) -> list[str]:
    """What keeps the sitting board from being complete and valid (empty: complete)."""
    problems = []
    pengurus = {s.position for s in seats if s.organ == Organ.PENGURUS and term_valid(s, today)}
    for position in REQUIRED_PENGURUS:
        if position not in pengurus:
            problems.append(_("no sitting %(position)s") % {"position": BoardPosition(position).label})
    if not any(s.organ == Organ.PENGAWAS and term_valid(s, today) for s in seats):
        problems.append(_("no sitting pengawas"))
    pengurus_niks = {s.nik for s in seats if s.organ == Organ.PENGURUS and s.nik}
    if any(s.organ == Organ.PENGAWAS and s.nik in pengurus_niks for s in seats):
        problems.append(_("the same person sits on both the pengurus and the pengawas"))
    expired = [s for s in seats if s.term_end and s.term_end < today]
    if expired:
        problems.append(_("%(count)s seat(s) with an expired term") % {"count": len(expired)})
    return problems


def _last_update(cooperative):
    stamps = [t for t in (cooperative.updated_at, cooperative.registry_updated_at) if t]
    return max(stamps) if stamps else None


def evaluate(cooperative, *, seats, members: int, open_outlets: int, rat_held: bool, today: date) -> Health:
    missing = [
        label
        for label, value in (
            (_("deed number"), cooperative.deed_number),
            (_("SK AHU number"), cooperative.sk_ahu_number),
            (_("NIB"), cooperative.nib),
            (_("NPWP"), cooperative.npwp),
        )
        if not value
    ]
    problems = board_problems(seats, today)
    last = _last_update(cooperative)
    fresh = last is not None and timezone.localtime(last).date() >= today - timedelta(days=FRESH_DAYS)
    last_year = today.year - 1
    parts = [
        Component(
            "legal",
            _("Legal papers complete"),
            not missing,
            _("All recorded.") if not missing else _("Missing: %(list)s.") % {"list": ", ".join(missing)},
        ),
        Component(
            "board",
            _("Board complete and valid"),
            not problems,
            _("Complete.") if not problems else "; ".join(problems).capitalize() + ".",
        ),
        Component(
            "members",
            _("At least 9 members"),
            members >= MINIMUM_MEMBERS,
            _("%(count)s active members.") % {"count": members},
        ),
        Component(
            "outlet",
            _("An outlet open"),
            open_outlets > 0,
            _("%(count)s outlet(s) open.") % {"count": open_outlets},
        ),
        Component(
            "rat",
            _("RAT held for last year"),
            rat_held,
            (_("RAT for book year %(year)s held.") if rat_held else _("No RAT held recorded for book year %(year)s."))
            % {"year": last_year},
        ),
        Component(
            "fresh",
            _("Data updated in the last 90 days"),
            fresh,
            _("Last update %(date)s.") % {"date": timezone.localtime(last).strftime("%d-%m-%Y")}
            if last
            else _("Never updated."),
        ),
    ]
    return Health(parts)


def health_for(cooperatives, *, today: date, ids: QuerySet | list[int] | None = None) -> dict[int, Health]:
    """Health of each of `cooperatives` (Cooperative objects) in four queries. `ids`, a subquery of their pks, keeps
    long lists out of the SQL parameters."""
    cooperatives = list(cooperatives)
    if ids is None:
        ids = [c.pk for c in cooperatives]
    seats = defaultdict(list)
    for seat in BoardMember.objects.filter(cooperative_id__in=ids, ended_at__isnull=True).only(
        "cooperative_id", "organ", "position", "nik", "term_start", "term_end"
    ):
        seats[seat.cooperative_id].append(seat)
    members = dict(
        Member.objects.filter(cooperative_id__in=ids, status=MemberStatus.ACTIVE)
        .values("cooperative_id")
        .annotate(n=Count("id"))
        .values_list("cooperative_id", "n")
    )
    outlets = dict(
        Outlet.objects.filter(cooperative_id__in=ids)
        .values("cooperative_id")
        .annotate(n=Count("id", filter=Q(status=OutletStatus.OPEN)))
        .values_list("cooperative_id", "n")
    )
    rats = set(
        AnnualMeeting.objects.filter(cooperative_id__in=ids, book_year=today.year - 1, held=True).values_list(
            "cooperative_id", flat=True
        )
    )
    return {
        c.pk: evaluate(
            c,
            seats=seats[c.pk],
            members=members.get(c.pk, 0),
            open_outlets=outlets.get(c.pk, 0),
            rat_held=c.pk in rats,
            today=today,
        )
        for c in cooperatives
    }
