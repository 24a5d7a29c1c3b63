"""The national data set of the dashboard benchmarks, built through bulk paths: the region tree from the npm package
idn-area-data (all provinces, kabupaten/kota and kecamatan; all 83,762 villages or a nested, evenly spread sample of
them), one programme per province, a cooperative in every village (formation.services.start_programme) and a full
history of verified moves (about 6.9 per village, April–July 2025: 580,470 for the national tree), written with
bulk_create behind the services' back and then counted with formation.counts.rebuild(); the villages per region with
regions.village_counts.recount(). Optionally pending submissions for the mover (bench/_mover.py) to verify.

Call inside a benchmark after _common.setup(). Each `grow(n)` adds the villages of the next, larger sample (the
samples are nested: the first n of a fixed permutation of the villages), so one database holds 1,000, then 10,000,
then every village.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import NATIONAL

from kopdes.accounts.roles import Role
from kopdes.formation import counts, services
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget, StageMove, StageSubmission
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.regions import village_counts
from kopdes.regions.importer import import_regions
from kopdes.regions.models import Level, Region
from kopdes.tests.factories import make_user

HISTORY_FROM = datetime(2025, 4, 14, 2, tzinfo=UTC)


def stage_of(cooperative_id: int) -> int:
    """A plausible mid-programme spread: most formed (8), some beyond, the rest on the way (mean 6.9 moves)."""
    r = (cooperative_id * 7919) % 100
    return 8 if r < 55 else 9 if r < 62 else 10 if r < 66 else 11 if r < 68 else 1 + r % 7


def village_rows() -> tuple[list[str], list[list[str]]]:
    with open(NATIONAL / "villages.csv", newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for row in reader if row]


def largest(level_width: int, prefix: str = "") -> str:
    """The code of the region of this code width ("64" 2, "64.01" 5, "64.01.04" 8) with the most villages in the
    package (within `prefix`): the dashboards are timed on the largest of each level."""
    tally: dict[str, int] = {}
    for row in village_rows()[1]:
        if row[0].startswith(prefix):
            tally[row[0][:level_width]] = tally.get(row[0][:level_width], 0) + 1
    return max(tally, key=lambda code: (tally[code], code))


class NationalSet:
    """The growing data set. `grow(n)` returns the seconds it took and what it wrote."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.header, rows = village_rows()
        self.villages = [row for row in rows if not prefix or row[0].startswith(prefix + ".")]
        total = len(self.villages)
        # a fixed permutation: village i is in the sample of size n when rank[i] < n (nested, evenly spread)
        step = 7919 if total % 7919 else 7907
        self.rank = [(i * step) % total for i in range(total)]
        self.total = total
        self.dir = Path(tempfile.mkdtemp(prefix="kopdes-bench-tree-"))
        for name in ("provinces.csv", "regencies.csv", "districts.csv", "islands.csv"):
            if (NATIONAL / name).exists():
                shutil.copy(NATIONAL / name, self.dir / name)
        self.admin = None
        self.programmes: list[Programme] = []
        self.moves = 0
        self.size = 0

    def grow(self, n: int) -> dict:
        n = min(n, self.total)
        began = time.perf_counter()
        with open(self.dir / "villages.csv", "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(self.header)
            out.writerows(row for row, r in zip(self.villages, self.rank, strict=True) if r < n)
        import_regions(directory=self.dir, decree=f"bench {n}", prefix=self.prefix)
        if self.admin is None:
            self.admin = make_user("bench.admin", Role.ADMIN_DINAS, None)
            tops = Region.objects.filter(level=Level.PROVINSI)
            if self.prefix:
                tops = tops.filter(code=self.prefix.split(".")[0])
            for top in tops:
                programme = Programme.objects.create(region=top, name=f"bench {top.code}", start_date=date(2025, 4, 1))
                ProgrammeTarget.objects.create(
                    programme=programme, count=80, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
                )
                self.programmes.append(programme)
        known = set(Cooperative.objects.values_list("id", flat=True))
        for programme in self.programmes:
            services.start_programme(actor=self.admin, programme=programme, at=datetime(2025, 4, 1, 1, tzinfo=UTC))
        new_ids = sorted(set(Cooperative.objects.values_list("id", flat=True)) - known)
        written = self._history(new_ids)
        village_counts.recount()
        rebuild_began = time.perf_counter()
        counts.rebuild()  # moves bulk-created behind the services' back: the kept counts follow them
        self.moves += written
        self.size = Region.objects.villages().active().count()
        return {
            "villages": self.size,
            "cooperatives": Cooperative.objects.count(),
            "verified_moves": self.moves,
            "seconds": time.perf_counter() - began,
            "rebuild_seconds": time.perf_counter() - rebuild_began,
        }

    def _history(self, ids: list[int]) -> int:
        moves, written = [], 0
        by_stage: dict[int, list[int]] = {}
        for cid in ids:
            stage = stage_of(cid)
            by_stage.setdefault(stage, []).append(cid)
            day0 = (cid * 31) % 40  # the village's own pace: first verified move 0–40 days after 14 April
            for number in range(1, stage + 1):
                at = HISTORY_FROM + timedelta(days=day0 + number * (3 + cid % 4), hours=cid % 8)
                moves.append(
                    StageMove(
                        cooperative_id=cid,
                        kind=MoveKind.VERIFIED,
                        from_stage=number - 1,
                        to_stage=number,
                        at=at,
                        source="bench",
                    )
                )
            if len(moves) >= 20000:
                StageMove.objects.bulk_create(moves, batch_size=5000)
                written += len(moves)
                moves = []
        StageMove.objects.bulk_create(moves, batch_size=5000)
        written += len(moves)
        for stage, members in by_stage.items():
            for i in range(0, len(members), 900):
                Cooperative.objects.filter(id__in=members[i : i + 900]).update(stage=stage)
        return written

    def pending(self, how_many: int) -> int:
        """Pending submissions (the next stage, evidence filled in) on cooperatives spread over the tree, for the
        mover to verify; counted by a rebuild like the history."""
        rows = list(Cooperative.objects.filter(stage__lt=11).order_by("id").values_list("id", "stage"))
        step = max(1, len(rows) // how_many)
        now = datetime.now(UTC)
        submissions = [
            StageSubmission(
                cooperative_id=cid,
                from_stage=stage,
                stage=stage + 1,
                status=SubmissionStatus.PENDING,
                evidence_date=date(2025, 8, 1),
                evidence_number=f"bench/{cid}",
                source="bench",
                submitted_by=self.admin,
                submitted_at=now,
            )
            for cid, stage in rows[::step][:how_many]
        ]
        StageSubmission.objects.bulk_create(submissions, batch_size=2000)
        counts.rebuild()
        return len(submissions)
