"""The village's generated documents. ONE context function per document feeds both the PDF (HTML template through
WeasyPrint) and the Word file (docxtpl template in kopdes/documents/docx/): plain strings and lists only, so both
renderers print the same words. Dates are spelled in Indonesian whatever the user's interface language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats, translation

from kopdes.core.nik import display_nik
from kopdes.documents.render import logo_data_uri, render_docx, render_pdf
from kopdes.documents.selectors import letterhead_for
from kopdes.formation.models import (
    BoardPosition,
    Cooperative,
    Element,
    FacilitatorTeam,
    Musdesus,
    ParticipantKind,
    RevitalisationMethod,
)
from kopdes.formation.workflow import Pathway
from kopdes.regions.models import Kind, Region
from kopdes.regions.timezones import zone_for_code

BLANK_ROWS = 30
ZONE_ABBR = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

# Indonesian words printed in the documents (the documents are official Indonesian papers).
ELEMENT_ID: dict[str, str] = {
    Element.TOKOH_MASYARAKAT: "Tokoh masyarakat",
    Element.TOKOH_AGAMA: "Tokoh agama",
    Element.PELAKU_USAHA: "Pelaku usaha lokal",
    Element.BPD: "BPD",
    Element.PEREMPUAN: "Perempuan/PKK",
    Element.PEMUDA: "Pemuda/Karang Taruna",
    Element.LAINNYA: "Lainnya",
}
POSITION_ID: dict[str, str] = {
    BoardPosition.KETUA: "Ketua",
    BoardPosition.WAKIL_USAHA: "Wakil Ketua Bidang Usaha",
    BoardPosition.WAKIL_KEANGGOTAAN: "Wakil Ketua Bidang Keanggotaan",
    BoardPosition.SEKRETARIS: "Sekretaris",
    BoardPosition.BENDAHARA: "Bendahara",
    BoardPosition.ANGGOTA: "Anggota",
}
PATHWAY_ID: dict[str, str] = {
    Pathway.PENDIRIAN_BARU: "Pendirian koperasi baru",
    Pathway.PENGEMBANGAN: "Pengembangan koperasi yang sudah ada",
    Pathway.REVITALISASI: "Revitalisasi koperasi yang sudah ada",
}
METHOD_ID: dict[str, str] = {
    RevitalisationMethod.AKTIF_KEMBALI: "aktif kembali",
    RevitalisationMethod.PENGGABUNGAN: "penggabungan",
}


def _date(value) -> str:
    if not value:
        return "...................."
    with translation.override("id"):
        return formats.date_format(value, "l, j F Y")


def _short_date(value) -> str:
    if not value:
        return "...................."
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def _rupiah(value) -> str:
    if value is None:
        return "Rp ...................."
    return "Rp " + f"{int(value):,}".replace(",", ".")


def _village(cooperative: Cooperative) -> Region:
    membership = cooperative.memberships.filter(left_at__isnull=True).select_related("village__parent").first()
    if membership is None:
        membership = cooperative.memberships.select_related("village__parent").first()
    assert membership is not None  # a cooperative is made with its village
    return membership.village


def _base(cooperative: Cooperative) -> dict:
    village = _village(cooperative)
    kelurahan = village.kind == Kind.KELURAHAN
    letterhead = letterhead_for(village.code)
    team = FacilitatorTeam.objects.filter(cooperative=cooperative).first()
    return {
        "letterhead": {
            "government": letterhead.government,
            "unit_line": letterhead.unit_line,
            "office": letterhead.office,
            "address": letterhead.address,
            "contact": letterhead.contact,
            "city": letterhead.city,
        },
        "logo": logo_data_uri(letterhead),
        "village": village.name,
        "village_word": "Kelurahan" if kelurahan else "Desa",
        "kecamatan": village.parent.name if village.parent else "",
        "meeting": "Musyawarah Kelurahan Khusus" if kelurahan else "Musyawarah Desa Khusus",
        "meeting_short": "Muskelsus" if kelurahan else "Musdesus",
        "head_title": f"Lurah {village.name}" if kelurahan else f"Kepala Desa {village.name}",
        "head_name": (team.village_head_name if team else "") or "",
        "cooperative_name": cooperative.name,
        "zone": ZONE_ABBR.get(zone_for_code(village.code), ""),
    }


def _musdesus(cooperative: Cooperative) -> Musdesus:
    return Musdesus.objects.filter(cooperative=cooperative).first() or Musdesus(cooperative=cooperative)


def _people(musdesus: Musdesus, kind: str, may_see_nik: bool) -> list[dict]:
    if musdesus.pk is None:
        return []
    return [
        {
            "no": i,
            "name": p.name,
            "sex": p.sex,
            "element": ELEMENT_ID.get(p.element, ""),
            "nik": display_nik(p.nik, may_see=may_see_nik),
            "position": POSITION_ID.get(p.position, ""),
            "note": p.note,
        }
        for i, p in enumerate((p for p in musdesus.people.all() if p.kind == kind), start=1)
    ]


def invitation_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    return {
        **base,
        "title": f"Undangan {base['meeting']}",
        "number": musdesus.invitation_number or "...................",
        "date": _date(musdesus.date),
        "time": f"{musdesus.time:%H.%M}" if musdesus.time else "........",
        "place": musdesus.place or "....................",
        "convener": musdesus.convener or base["head_title"],
        "invitees": _people(musdesus, ParticipantKind.INVITEE, may_see_nik),
        "sign_place": base["village"],
        "sign_date": _short_date(musdesus.updated_at.date() if musdesus.pk else None),
    }


def attendance_context(cooperative: Cooperative, *, filled: bool = True, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    rows = _people(musdesus, ParticipantKind.ATTENDEE, may_see_nik) if filled else []
    if not rows:
        rows = [
            {"no": i, "name": "", "sex": "", "element": "", "nik": "", "position": "", "note": ""}
            for i in range(1, BLANK_ROWS + 1)
        ]
    return {
        **base,
        "title": f"Daftar Hadir {base['meeting']}",
        "date": _date(musdesus.date),
        "place": musdesus.place or "....................",
        "rows": rows,
        "filled": filled,
    }


def berita_acara_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    attendees = _people(musdesus, ParticipantKind.ATTENDEE, may_see_nik)
    pathway = PATHWAY_ID.get(musdesus.pathway, "....................")
    if musdesus.pathway == Pathway.REVITALISASI and musdesus.revitalisation_method:
        pathway += f" dengan metode {METHOD_ID[musdesus.revitalisation_method]}"
    if musdesus.existing_cooperative and musdesus.pathway != Pathway.PENDIRIAN_BARU:
        pathway += f" ({musdesus.existing_cooperative})"
    units = [u.name for u in musdesus.business_units.all()] if musdesus.pk else []
    if musdesus.other_units:
        units += [u.strip() for u in musdesus.other_units.split(",") if u.strip()]
    return {
        **base,
        "title": f"Berita Acara {base['meeting']}",
        "number": musdesus.berita_acara_number or "...................",
        "date": _date(musdesus.date),
        "time": f"{musdesus.time:%H.%M}" if musdesus.time else "........",
        "place": musdesus.place or "....................",
        "convener": musdesus.convener or "....................",
        "attendee_count": len(attendees),
        "pathway": pathway,
        "decided_name": musdesus.cooperative_name or cooperative.name,
        "founders": _people(musdesus, ParticipantKind.FOUNDER, may_see_nik),
        "pengurus": _people(musdesus, ParticipantKind.PENGURUS, may_see_nik),
        "pengawas": _people(musdesus, ParticipantKind.PENGAWAS, may_see_nik),
        "simpanan_pokok": _rupiah(musdesus.simpanan_pokok),
        "simpanan_wajib": _rupiah(musdesus.simpanan_wajib),
        "units": units,
        "no_family_ties": musdesus.no_family_ties_declared,
        "notes": musdesus.notes,
        "sign_date": _short_date(musdesus.date),
    }


def team_decree_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    base = _base(cooperative)
    team = FacilitatorTeam.objects.filter(cooperative=cooperative).first()
    members = list(team.members.all()) if team else []
    return {
        **base,
        "title": f"Keputusan {base['head_title']}",
        "number": (team.decree_number if team else "") or "...................",
        "about": f"Pembentukan Tim Fasilitator {base['meeting']} Pembentukan Koperasi {base['village_word']} Merah "
        f"Putih",
        "members": [
            {
                "no": i,
                "name": m.name,
                "position": m.position,
                "element": ELEMENT_ID.get(m.element, ""),
                "phone": m.phone,
            }
            for i, m in enumerate(members, start=1)
        ],
        "sign_date": _short_date(team.decree_date if team else None),
    }


@dataclass(frozen=True)
class Document:
    slug: str
    filename: str
    context: Callable[..., dict]
    html: str
    docx: str
    kwargs: tuple[tuple[str, object], ...] = ()


DOCUMENTS = {
    d.slug: d
    for d in (
        Document(
            "undangan",
            "undangan-musdesus",
            invitation_context,
            "documents/musdesus_invitation.html",
            "musdesus_invitation.docx",
        ),
        Document(
            "daftar-hadir",
            "daftar-hadir-musdesus",
            attendance_context,
            "documents/musdesus_attendance.html",
            "musdesus_attendance.docx",
        ),
        Document(
            "daftar-hadir-kosong",
            "daftar-hadir-kosong",
            attendance_context,
            "documents/musdesus_attendance.html",
            "musdesus_attendance.docx",
            (("filled", False),),
        ),
        Document(
            "berita-acara",
            "berita-acara-musdesus",
            berita_acara_context,
            "documents/musdesus_berita_acara.html",
            "musdesus_berita_acara.docx",
        ),
        Document("sk-tim", "sk-tim-fasilitator", team_decree_context, "documents/team_decree.html", "team_decree.docx"),
    )
}


def render(document: Document, cooperative: Cooperative, fmt: str, *, may_see_nik: bool) -> bytes:
    context = document.context(cooperative, may_see_nik=may_see_nik, **dict(document.kwargs))
    if fmt == "pdf":
        return render_pdf(document.html, context)
    return render_docx(document.docx, context)
