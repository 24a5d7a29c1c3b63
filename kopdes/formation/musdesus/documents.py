"""The village's generated documents. ONE context function per document feeds both the PDF (HTML template through
WeasyPrint) and the Word file (docxtpl template in kopdes/documents/docx/): plain strings and lists only, so both
renderers print the same words. Dates are spelled in Indonesian whatever the user's interface language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kopdes.clock import local_date
from kopdes.core.nik import display_nik
from kopdes.documents.models import IssuedPaper, Issuer, IssuerKind, SignerRole
from kopdes.documents.render import logo_data_uri, render_docx, render_pdf
from kopdes.documents.selectors import (
    PaperState,
    draft_token,
    issuer_for,
    letterhead_context,
    paper_state,
    signature,
    signer_for,
)
from kopdes.documents.services import issue_paper, plan_date_of_issue
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
DRAFT_NUMBER = "DRAF — belum bernomor"
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


def _is_kelurahan(village: Region) -> bool:
    return village.kind == Kind.KELURAHAN


def meeting_issuer(village: Region) -> Issuer:
    """Who convenes the meeting and issues its invitation, attendance list and Berita Acara: the BPD (PP 43/2014;
    research note on letters §5), in a kelurahan the kelurahan (the lurah, with the LPMK)."""
    return issuer_for(IssuerKind.KELURAHAN if _is_kelurahan(village) else IssuerKind.BPD, village)


def government_issuer(village: Region) -> Issuer:
    """The village government (the kepala desa's decrees), in a kelurahan the kelurahan (the lurah)."""
    return issuer_for(IssuerKind.KELURAHAN if _is_kelurahan(village) else IssuerKind.DESA, village)


def _chair(village: Region, issuer: Issuer) -> dict:
    """The meeting's chair: the BPD chair, in a kelurahan the lurah."""
    if _is_kelurahan(village):
        return signature(signer_for(issuer, SignerRole.LURAH), title=f"Lurah {village.name}")
    return signature(signer_for(issuer, SignerRole.KETUA_BPD), title=f"Ketua BPD {village.name}")


def _head(village: Region, team: FacilitatorTeam | None) -> dict:
    """The kepala desa (no NIP), in a kelurahan the lurah (with NIP); the team's record names the head when no
    signer is recorded yet."""
    issuer = government_issuer(village)
    role = SignerRole.LURAH if _is_kelurahan(village) else SignerRole.KEPALA_DESA
    word = "Lurah" if _is_kelurahan(village) else "Kepala Desa"
    return signature(
        signer_for(issuer, role), title=f"{word} {village.name}", fallback_name=(team.village_head_name if team else "")
    )


def _base(cooperative: Cooperative) -> dict:
    village = _village(cooperative)
    kelurahan = _is_kelurahan(village)
    team = FacilitatorTeam.objects.filter(cooperative=cooperative).first()
    return {
        "village": village.name,
        "village_word": "Kelurahan" if kelurahan else "Desa",
        "kecamatan": village.parent.name if village.parent else "",
        "meeting": "Musyawarah Kelurahan Khusus" if kelurahan else "Musyawarah Desa Khusus",
        "meeting_short": "Muskelsus" if kelurahan else "Musdesus",
        "head_title": f"Lurah {village.name}" if kelurahan else f"Kepala Desa {village.name}",
        "cooperative_name": cooperative.name,
        "zone": ZONE_ABBR.get(zone_for_code(village.code), ""),
        "_village": village,
        "_team": team,
    }


def _paper(document: Document, cooperative: Cooperative, issuer: Issuer, default_date) -> dict:
    """The issuer's kop, the paper's number and date of issue (issued, else a draft), and the place of signing."""
    state = (
        paper_state(
            issuer,
            document.register_kind,
            subject_key(cooperative),
            default_date=default_date,
            fixed_date=document.fixed_date,
        )
        if document.register_kind
        else PaperState(None, default_date, True)
    )
    return {
        "letterhead": letterhead_context(issuer),
        "logo": logo_data_uri(issuer),
        "draft": bool(document.register_kind) and state.is_draft,
        "number": state.number or DRAFT_NUMBER,
        "sign_place": issuer.city or _village(cooperative).name,
        "sign_date": _short_date(state.date_of_issue),
    }


def _public(context: dict) -> dict:
    return {k: v for k, v in context.items() if not k.startswith("_")}


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


def community_representative(musdesus: Musdesus) -> str:
    """Who signs the Berita Acara for the community: the Musdesus record's `community_representative`, else the first
    attendee recorded as a tokoh masyarakat, else "" (a blank line)."""
    if musdesus.community_representative:
        return musdesus.community_representative
    if musdesus.pk is None:
        return ""
    first = musdesus.people.filter(kind=ParticipantKind.ATTENDEE, element=Element.TOKOH_MASYARAKAT).first()
    return first.name if first else ""


def invitation_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    village = base["_village"]
    issuer = meeting_issuer(village)
    chair = _chair(village, issuer)
    return _public(
        {
            **base,
            **_paper(DOCUMENTS["undangan"], cooperative, issuer, _default_date(DOCUMENTS["undangan"], cooperative)),
            "title": f"Undangan {base['meeting']}",
            "date": _date(musdesus.date),
            "time": f"{musdesus.time:%H.%M}" if musdesus.time else "........",
            "place": musdesus.place or "....................",
            "invitees": _people(musdesus, ParticipantKind.INVITEE, may_see_nik),
            "signatures": [chair],
        }
    )


def attendance_context(cooperative: Cooperative, *, filled: bool = True, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    village = base["_village"]
    issuer = meeting_issuer(village)
    rows = _people(musdesus, ParticipantKind.ATTENDEE, may_see_nik) if filled else []
    if not rows:
        rows = [
            {"no": i, "name": "", "sex": "", "element": "", "nik": "", "position": "", "note": ""}
            for i in range(1, BLANK_ROWS + 1)
        ]
    return _public(
        {
            **base,
            **_paper(DOCUMENTS["daftar-hadir"], cooperative, issuer, musdesus.date),
            "title": f"Daftar Hadir {base['meeting']}",
            "date": _date(musdesus.date),
            "place": musdesus.place or "....................",
            "rows": rows,
            "filled": filled,
            "signatures": [{**_chair(village, issuer), "caption": "Pimpinan Musyawarah,"}],
        }
    )


def berita_acara_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    musdesus = _musdesus(cooperative)
    base = _base(cooperative)
    village = base["_village"]
    issuer = meeting_issuer(village)
    attendees = _people(musdesus, ParticipantKind.ATTENDEE, may_see_nik)
    pathway = PATHWAY_ID.get(musdesus.pathway, "....................")
    if musdesus.pathway == Pathway.REVITALISASI and musdesus.revitalisation_method:
        pathway += f" dengan metode {METHOD_ID[musdesus.revitalisation_method]}"
    if musdesus.existing_cooperative and musdesus.pathway != Pathway.PENDIRIAN_BARU:
        pathway += f" ({musdesus.existing_cooperative})"
    units = [u.name for u in musdesus.business_units.all()] if musdesus.pk else []
    if musdesus.other_units:
        units += [u.strip() for u in musdesus.other_units.split(",") if u.strip()]
    chair = {**_chair(village, issuer), "caption": "Pimpinan Musyawarah,"}
    if _is_kelurahan(village):
        second = signature(signer_for(issuer, SignerRole.KETUA_LPMK), title=f"Ketua LPMK {village.name}")
    else:
        second = _head(village, base["_team"])
    representative = {
        "caption": "Wakil Masyarakat,",
        "title": "Tokoh Masyarakat",
        "name": community_representative(musdesus),
        "rank": "",
        "nip": "",
        "missing": False,
    }
    return _public(
        {
            **base,
            **_paper(DOCUMENTS["berita-acara"], cooperative, issuer, musdesus.date),
            "title": f"Berita Acara {base['meeting']}",
            "date": _date(musdesus.date),
            "time": f"{musdesus.time:%H.%M}" if musdesus.time else "........",
            "place": musdesus.place or "....................",
            "convener": chair["name"] or musdesus.convener or chair["title"],
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
            "signatures": [chair, second, representative],
        }
    )


def team_decree_context(cooperative: Cooperative, *, may_see_nik: bool = False) -> dict:
    base = _base(cooperative)
    village = base["_village"]
    team = base["_team"]
    members = list(team.members.all()) if team else []
    default_date = (team.decree_date if team else None) or local_date(village.code, timezone.now())
    return _public(
        {
            **base,
            **_paper(DOCUMENTS["sk-tim"], cooperative, government_issuer(village), default_date),
            "title": f"Keputusan {base['head_title']}",
            "about": f"Pembentukan Tim Fasilitator {base['meeting']} Pembentukan Koperasi {base['village_word']} "
            f"Merah Putih",
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
            "signatures": [_head(village, team)],
        }
    )


@dataclass(frozen=True)
class Document:
    slug: str
    filename: str
    context: Callable[..., dict]
    html: str
    docx: str
    kwargs: tuple[tuple[str, object], ...] = ()
    # the paper's kind in its issuer's register (numbered papers only) and whether its date is its subject's
    register_kind: str = ""
    fixed_date: bool = False
    issuer: Callable[[Region], Issuer] = meeting_issuer


DOCUMENTS = {
    d.slug: d
    for d in (
        Document(
            "undangan",
            "undangan-musdesus",
            invitation_context,
            "documents/musdesus_invitation.html",
            "musdesus_invitation.docx",
            register_kind="musdesus-undangan",
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
            register_kind="musdesus-berita-acara",
            fixed_date=True,
        ),
        Document(
            "sk-tim",
            "sk-tim-fasilitator",
            team_decree_context,
            "documents/team_decree.html",
            "team_decree.docx",
            register_kind="sk-tim-fasilitator",
            issuer=government_issuer,
        ),
    )
}


def render(document: Document, cooperative: Cooperative, fmt: str, *, may_see_nik: bool) -> bytes:
    context = document.context(cooperative, may_see_nik=may_see_nik, **dict(document.kwargs))
    if fmt == "pdf":
        return render_pdf(document.html, context)
    return render_docx(document.docx, context)


def subject_key(cooperative: Cooperative) -> str:
    """The papers' subject in the issuers' registers."""
    return f"cooperative:{cooperative.pk}"


def _default_date(document: Document, cooperative: Cooperative):
    village = _village(cooperative)
    if document.fixed_date:
        return _musdesus(cooperative).date
    today = local_date(village.code, timezone.now())
    if document.slug == "sk-tim":
        team = FacilitatorTeam.objects.filter(cooperative=cooperative).first()
        if team is not None and team.decree_date:
            return team.decree_date
    if document.slug == "undangan":  # an invitation is never dated after its meeting
        meeting = _musdesus(cooperative).date
        return min(today, meeting) if meeting else today
    return today


def _check_invitation_date(document: Document, cooperative: Cooperative, when) -> None:
    meeting = _musdesus(cooperative).date
    if document.slug == "undangan" and meeting and when and when > meeting:
        raise ValidationError(
            {
                "date_of_issue": [
                    _("An invitation is dated on or before its meeting (%(date)s): set its date of issue first.")
                    % {"date": meeting.strftime("%d-%m-%Y")}
                ]
            }
        )


@dataclass(frozen=True)
class PaperStatus:
    """A paper as its page shows it: the issuer (and its edit page), its state (number and date, or a draft with
    the date it will carry), the date form's token, and the signature blocks without a recorded signer."""

    document: Document
    issuer: Issuer
    issuer_url: str
    state: PaperState
    token: str
    missing: list[str]


def _issuer_url(issuer: Issuer) -> str:
    return reverse("documents:issuer", kwargs={"code": issuer.region.code, "kind": issuer.kind})


def statuses(cooperative: Cooperative) -> list[PaperStatus]:
    """Each paper of the village's Musdesus (in DOCUMENTS order, once per paper: the blank attendance sheet is the
    attendance list's twin)."""
    village = _village(cooperative)
    out = []
    for document in DOCUMENTS.values():
        if document.slug == "daftar-hadir-kosong":
            continue
        issuer = document.issuer(village)
        if document.register_kind:
            state = paper_state(
                issuer,
                document.register_kind,
                subject_key(cooperative),
                default_date=_default_date(document, cooperative),
                fixed_date=document.fixed_date,
            )
            token = "" if document.fixed_date else draft_token(issuer, document.register_kind, subject_key(cooperative))
        else:
            state, token = PaperState(None, _musdesus(cooperative).date, True), ""
        context = document.context(cooperative, **dict(document.kwargs))
        missing = [s["title"] for s in context["signatures"] if s.get("missing")]
        out.append(PaperStatus(document, issuer, _issuer_url(issuer), state, token, missing))
    return out


def issue(cooperative: Cooperative, slug: str, actor) -> IssuedPaper:
    """Issue the paper `slug` (a numbered one): its number from its issuer's register, dated by its planned date (the
    Berita Acara: the meeting's date, which must be recorded first). Issuing again returns the same paper."""
    document = DOCUMENTS[slug]
    if not document.register_kind:
        raise ValidationError(_("This paper carries no number."))
    village = _village(cooperative)
    issuer = document.issuer(village)
    state = paper_state(
        issuer,
        document.register_kind,
        subject_key(cooperative),
        default_date=_default_date(document, cooperative),
        fixed_date=document.fixed_date,
    )
    if state.issued is not None:
        return state.issued
    if state.date_of_issue is None:
        raise ValidationError(
            _("Record the meeting's date first: the Berita Acara is dated on the day of the meeting.")
        )
    _check_invitation_date(document, cooperative, state.date_of_issue)
    context = document.context(cooperative, **dict(document.kwargs))
    return issue_paper(
        issuer,
        document.register_kind,
        subject_key(cooperative),
        state.date_of_issue,
        actor,
        summary=f"{context['title']} {context['village_word']} {context['village']}",
    )


def plan(cooperative: Cooperative, slug: str, planned, actor, *, read: str | None):
    """Set the date of issue of a paper not yet issued (refused after issue, and for a paper dated by its subject)."""
    document = DOCUMENTS[slug]
    if not document.register_kind or document.fixed_date:
        raise ValidationError(_("This paper's date is the meeting's date; it is not edited here."))
    _check_invitation_date(document, cooperative, planned)
    issuer = document.issuer(_village(cooperative))
    return plan_date_of_issue(issuer, document.register_kind, subject_key(cooperative), planned, actor, read=read)
