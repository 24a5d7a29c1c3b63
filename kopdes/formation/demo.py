"""Demo data from the source article (11 May 2025), placed on its real dates through the real services.

Facts: SE Bupati Paser 500.3/447/KOP/IV/2025 (April 2025; the day is not public, the 1st is used); target 60
cooperatives by June 2025, 80 % threshold; on 11 May 2025 six villages hold Musdesus: Janju, Sungai Terik, Kasungai,
Seniung Jaya, Olung, Kerta Bumi. Which two had already held it, and the other dates, are a plausible reconstruction.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.formation import services
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget
from kopdes.regions.models import Region

WITA = ZoneInfo("Asia/Makassar")
PROGRAMME_NAME = "Percepatan Pembentukan KDKMP Kabupaten Paser 2025"
SIX = {
    "64.01.04.2002": "Janju",
    "64.01.01.2013": "Sungai Terik",
    "64.01.01.2014": "Kasungai",
    "64.01.03.2012": "Seniung Jaya",
    "64.01.06.2008": "Olung",
    "64.01.05.2008": "Kerta Bumi",
}
HELD = {"64.01.01.2013": date(2025, 5, 10), "64.01.01.2014": date(2025, 5, 11)}
SOSIALISASI_ONLY = [
    "64.01.01.2009",
    "64.01.01.2010",
    "64.01.04.2003",
    "64.01.04.2004",
    "64.01.05.2009",
    "64.01.06.2009",
    "64.01.07.2002",
    "64.01.08.2002",
]


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), WITA)


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF standing in for a scanned Berita Acara."""
    text = f"(DEMO - {title}) Tj"
    stream = f"BT /F1 14 Tf 50 780 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return SimpleUploadedFile(f"{title}.pdf", out.getvalue(), content_type="application/pdf")


def _advance(case: Cooperative, stage: int, day: date, *, submitter, verifier, number: str = "", files=()):
    case.refresh_from_db()
    # Never before the case's last write (the previous stage's verification): where several stages fall on the
    # article's day, they must still follow one another, as the one-pending-submission rule makes them.
    submitted_at = max(at(min(day, date(2025, 5, 11)), 9), case.updated_at + timedelta(hours=1))
    verified_at = max(at(min(day + timedelta(days=1), date(2025, 5, 11)), 15), submitted_at + timedelta(hours=1))
    submit_and_verify(
        case,
        stage,
        day,
        submitter=submitter,
        verifier=verifier,
        submitted_at=submitted_at,
        verified_at=verified_at,
        source="demo",
        note="Data demo (rekonstruksi).",
        number=number,
        files=files,
    )


def submit_and_verify(
    case: Cooperative,
    stage: int,
    day: date,
    *,
    submitter,
    verifier,
    submitted_at: datetime,
    verified_at: datetime,
    source: str,
    note: str,
    number: str = "",
    files=(),
    pathway: str = "",
) -> None:
    """Submit `stage` of `case` with its evidence (dated `day`) and verify it: how the demo data and the dashboard's
    replay move a case, through the same services as a village and its office."""
    submission = services.submit_stage(
        actor=submitter,
        cooperative=case,
        version=case.version,
        stage=stage,
        evidence_date=day,
        evidence_number=number,
        files=files,
        pathway=pathway,
        source=source,
        at=submitted_at,
        note=note,
    )
    services.verify_submission(actor=verifier, submission=submission, source=source, at=verified_at)


def load(*, admin, operators: dict[str, object]) -> bool:
    """Create the programme and the 11 May 2025 state. Returns False when it already exists (rerunnable)."""
    if Programme.objects.filter(name=PROGRAMME_NAME).exists():
        return False
    paser = Region.objects.get(code="64.01")
    programme = Programme.objects.create(
        region=paser,
        name=PROGRAMME_NAME,
        start_date=date(2025, 4, 1),
        threshold_percent=80,
        legal_basis="Inpres No. 9 Tahun 2025; Surat Edaran Bupati Paser No. 500.3/447/KOP/IV/2025",
    )
    ProgrammeTarget.objects.create(
        programme=programme,
        count=60,
        deadline=date(2025, 6, 30),
        effective_from=date(2025, 4, 1),
        note="SE Bupati 500.3/447/KOP/IV/2025",
    )
    services.start_programme(actor=admin, programme=programme, at=at(date(2025, 4, 1), 8), source="demo")
    cases = {c.region_code: c for c in Cooperative.objects.filter(programme=programme)}
    for index, code in enumerate([*SIX, *SOSIALISASI_ONLY]):
        submitter = operators.get(code, admin)
        _advance(
            cases[code],
            1,
            date(2025, 4, 21) + timedelta(days=index % 7),
            submitter=submitter,
            verifier=admin,
            number=str(25 + index * 3),
        )
    for index, code in enumerate(SIX):
        submitter = operators.get(code, admin)
        _advance(
            cases[code],
            2,
            date(2025, 4, 28) + timedelta(days=index),
            submitter=submitter,
            verifier=admin,
            number=f"141/{10 + index}/KEP-DS/IV/2025",
        )
        scheduled = HELD.get(code) or date(2025, 5, 12) + timedelta(days=index)
        _advance(cases[code], 3, scheduled, submitter=submitter, verifier=admin)
    for code, held in HELD.items():
        _advance(
            cases[code],
            4,
            held,
            submitter=admin,
            verifier=admin,
            number=f"BA/{code[-4:]}/V/2025",
            files=[demo_pdf(f"Berita Acara Musdesus {SIX[code]}")],
        )
    return True
