"""Demo data of training and assistance visits in Paser, through the real services (called by `manage.py demo`).
Small on purpose: one training with attendance, two visits of the demo pendamping (Tanah Grogot) with follow-ups.
Here in web, not in assistance: its attendees are the villages' demo people (formation), the same as on the
registry's board (cooperatives)."""

from __future__ import annotations

from datetime import date

from kopdes.assistance.models import Training
from kopdes.assistance.services import activities as services
from kopdes.formation.demo_people import village_people
from kopdes.regions.models import Region

TOPIC = "Pelatihan Tata Kelola dan Administrasi Koperasi Desa Merah Putih"
INVITED = ["64.01.04.2002", "64.01.04.2003", "64.01.01.2013", "64.01.01.2014"]
# (village, place in its demo list, role): the people the villages sent, from their lists (formation/demo_people.py),
# so each attendee has the one NIK they carry on the Musdesus papers and in the registry. Janju sent the chair, the
# secretary and a pengawas its Musdesus went on to elect (web/demo_story.py).
ATTENDEES = [
    ("64.01.04.2002", 1, "pengurus"),
    ("64.01.04.2002", 4, "pengurus"),
    ("64.01.04.2002", 6, "pengawas"),
    ("64.01.04.2003", 8, "operator"),
    ("64.01.01.2013", 1, "pengurus"),
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
    rows = []
    for code, place, role in ATTENDEES:
        person = village_people(code)[place]
        rows.append(services.AttendeeRow(name=person.name, role=role, village_code=code, nik=person.nik))
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
