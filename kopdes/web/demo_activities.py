"""Demo data of training and assistance visits in Paser, through the real services (called by `manage.py demo`).
Small on purpose: one training with attendance, two visits of the demo pendamping (Tanah Grogot) with follow-ups.
Here in web, not in assistance: it seats a board member of the registry too (cooperatives)."""

from __future__ import annotations

from datetime import date

from kopdes.assistance.models import Training
from kopdes.assistance.services import activities as services
from kopdes.cooperatives.models import BoardMember, Organ
from kopdes.regions.models import Region

TOPIC = "Pelatihan Tata Kelola dan Administrasi Koperasi Desa Merah Putih"
INVITED = ["64.01.04.2002", "64.01.04.2003", "64.01.01.2013", "64.01.01.2014"]
ATTENDEES = [
    ("Ahmad Rifai", "pengurus", "64.01.04.2002", "6401040101850003"),
    ("Siti Rahmah", "pengurus", "64.01.04.2002", ""),
    ("Budi Santoso", "pengawas", "64.01.04.2002", ""),
    ("Nurhayati", "operator", "64.01.04.2003", ""),
    ("Hendra Gunawan", "pengurus", "64.01.01.2013", "6401011207880001"),
]


def load(*, admin, pendamping) -> bool:
    """Returns False when the demo training is already there (the demo command may run twice)."""
    if Training.objects.filter(topic=TOPIC).exists():
        return False
    training = services.create_training(
        actor=admin,
        region=Region.objects.get(code="64.01"),
        topic=TOPIC,
        start_date=date(2025, 5, 6),
        end_date=date(2025, 5, 7),
        place="Aula Kantor Bupati Paser, Tana Paser",
        trainer="Tim Dinas Koperasi dan UKM Provinsi Kalimantan Timur",
        organiser="Dinas Koperasi, UKM dan Perdagangan Kabupaten Paser",
        village_codes=INVITED,
    )
    rows = [services.AttendeeRow(name=n, role=r, village_code=c, nik=k) for n, r, c, k in ATTENDEES]
    # Janju's chair (from the registry demo, when loaded) attended: the untrained-board view then shows a difference
    chair = BoardMember.objects.filter(
        cooperative__region_code="64.01.04.2002",
        cooperative__is_active=True,
        organ=Organ.PENGURUS,
        position="ketua",
        ended_at__isnull=True,
    ).first()
    if chair is not None:
        rows.append(services.AttendeeRow(name=chair.name, role="pengurus", village_code="64.01.04.2002", nik=chair.nik))
    services.record_attendance(actor=admin, training=training, rows=rows)
    services.record_visit(
        actor=pendamping,
        village=Region.objects.get(code="64.01.04.2002"),
        visit_date=date(2025, 5, 8),
        purpose="Persiapan Musdesus dan kelengkapan dokumen pendirian.",
        findings="Daftar hadir sosialisasi belum ditandatangani kepala desa; calon pengurus sudah disepakati.",
        follow_ups=[
            services.FollowUpRow(
                text="Lengkapi tanda tangan daftar hadir sosialisasi",
                owner_name="Operator Desa Janju",
                owner_role="Operator desa",
                due_date=date(2025, 5, 12),
            ),
            services.FollowUpRow(
                text="Siapkan undangan Musdesus", owner_name="Sekretaris desa", due_date=date(2025, 5, 14)
            ),
        ],
    )
    services.record_visit(
        actor=pendamping,
        village=Region.objects.get(code="64.01.04.2003"),
        visit_date=date(2025, 5, 9),
        purpose="Sosialisasi pembentukan koperasi kepada perangkat desa.",
        findings="Perangkat desa belum menerima surat edaran bupati.",
        follow_ups=[
            services.FollowUpRow(
                text="Teruskan SE Bupati ke kepala desa", owner_name="Pendamping", due_date=date(2025, 5, 13)
            )
        ],
    )
    return True
