"""Demo consultations through the real services: one answered and published to the FAQ, one overdue at the office,
one fresh for the pendamping. Rerunnable (nothing is added when questions exist)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kopdes.assistance.models import Question
from kopdes.assistance.selectors.consultations import public_draft
from kopdes.assistance.services import consultations as services
from kopdes.regions.models import Region

JANJU, SUNGAI_TERIK = "64.01.04.2002", "64.01.01.2013"


def load(*, operator, camat, pendamping, office) -> bool:
    if Question.objects.exists():
        return False
    now = timezone.now()
    janju = Region.objects.get(code=JANJU)
    notary = services.ask_question(
        actor=operator,
        village=janju,
        category="legal",
        subject="Notaris untuk akta pendirian koperasi",
        text=(
            "Selamat pagi. Musdesus Desa Janju sudah selesai. Notaris mana yang bisa membuat akta pendirian "
            "koperasi kami, dan apakah ada biayanya? Bisa hubungi saya di 0812-5555-0101."
        ),
        at=now - timedelta(days=6),
    )
    services.post_message(
        actor=pendamping,
        question=notary,
        text=(
            "Akta pendirian dibuat oleh Notaris Pembuat Akta Koperasi (NPAK) yang terdaftar di Kementerian Koperasi. "
            "Bawa berita acara Musdesus, daftar pengurus dan pengawas, serta fotokopi KTP pendiri. Biaya notaris "
            "untuk Koperasi Desa Merah Putih ditanggung program; tanyakan jadwal kepada dinas."
        ),
        at=now - timedelta(days=5),
    )
    services.publish_question(actor=office, question=notary, **public_draft(notary))
    services.ask_question(
        actor=camat,
        village=Region.objects.get(code=SUNGAI_TERIK),
        category="capital",
        subject="Besaran simpanan pokok dan simpanan wajib",
        text="Apakah besaran simpanan pokok dan simpanan wajib ditetapkan dalam Musdesus atau dalam rapat anggota?",
        at=now - timedelta(days=8),
    )
    services.ask_question(
        actor=operator,
        village=janju,
        category="digital",
        subject="Tidak bisa masuk ke SIMKOPDES",
        text="Akun SIMKOPDES desa kami terkunci setelah salah kata sandi. Ke mana kami harus melapor?",
        at=now - timedelta(hours=3),
    )
    return True
