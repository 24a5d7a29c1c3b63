"""Build the docxtpl Word templates of the Musdesus documents.

Run: `.venv/bin/python kopdes/documents/docx/build_templates.py`.

The generated .docx files are committed next to this script; the office may open and restyle them in Word as long as the
{{ … }} and {%tr … %} tags stay. Each template reads the same context as its HTML twin in kopdes/templates/documents/
(kopdes/formation/musdesus/documents.py). The document bodies are formal Indonesian by nature, written directly here.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent


def _new() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    section.left_margin, section.right_margin = Cm(2.2), Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(4)
    _kop(document)
    _draft(document)
    return document


def _para(document, text: str = "", *, bold=False, center=False, size=None, justify=False, underline=False):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run(text)
    run.bold = bold
    run.underline = underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _kop(document) -> None:
    _para(document, "{% if logo_image %}{{ logo_image }}{% endif %}", center=True)
    _para(document, "{{ letterhead.government }}", bold=True, center=True, size=13)
    _para(
        document, "{% if letterhead.unit_line %}{{ letterhead.unit_line }}{% endif %}", bold=True, center=True, size=13
    )
    _para(document, "{{ letterhead.office }}", bold=True, center=True, size=14)
    _para(document, "{% if letterhead.address %}{{ letterhead.address }}{% endif %}", center=True, size=9)
    last = _para(document, "{% if letterhead.contact %}{{ letterhead.contact }}{% endif %}", center=True, size=9)
    _bottom_border(last)


def _table(document, headers: list[str], cells: list[str], loop: str, widths: list[float]) -> None:
    """A grid with a header row and one row repeated by docxtpl for each item of `loop` ("r in rows")."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for i, value in enumerate(cells):
        table.rows[2].cells[i].text = value
    table.rows[3].cells[0].text = "{%tr endfor %}"
    # the header row repeats on every page of a long list
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for row in table.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = Cm(width)


def _keep(paragraph, *, with_next: bool = True):
    """Word keeps the paragraph's lines together and (with_next) on the page of the next paragraph: the closing
    paragraph and the signature blocks form one chain that never splits across pages."""
    paragraph.paragraph_format.keep_together = True
    paragraph.paragraph_format.keep_with_next = with_next
    return paragraph


def _signatures(document, closing: str = "", *, decree: bool = False) -> None:
    """The closing paragraph (if any) and the context's `signatures` (title, name, rank, nip, caption) under the place
    and date of signing, kept on one page (keep-with-next through the whole block). A missing name prints a blank
    line to sign over."""
    if closing:
        _keep(_para(document, closing, justify=True))

    def line(text: str = "", **style):
        paragraph = _para(document, text, **style)
        paragraph.paragraph_format.left_indent = Cm(8)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return _keep(paragraph)

    if decree:
        line("Ditetapkan di {{ sign_place }}")
        line("pada tanggal {{ sign_date }}")
    else:
        line("{{ sign_place }}, {{ sign_date }}")
    line("{%p for s in signatures %}")
    line("{%p if s.caption %}")
    line("{{ s.caption }}")
    line("{%p endif %}")
    line("{{ s.title|upper }}," if decree else "{{ s.title }},")
    line()
    line()
    line("{{ s.name or '(....................................)' }}", bold=True, underline=True)
    line("{%p if s.rank %}")
    line("{{ s.rank }}")
    line("{%p endif %}")
    line("{%p if s.nip %}")
    line("NIP. {{ s.nip }}")
    line("{%p endif %}")
    line()
    line("{%p endfor %}")
    _para(document)  # the end of the chain


def _draft(document) -> None:
    _para(document, "{%p if draft %}")
    paragraph = _para(
        document,
        "DRAF — belum bernomor. Terbitkan surat ini di Kopdes untuk memberinya nomor dan tanggal.",
        bold=True,
        center=True,
    )
    paragraph.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    _para(document, "{%p endif %}")


def invitation() -> DocxDocument:
    document = _new()
    for label, value in (
        ("Nomor", "{{ number }}"),
        ("Sifat", "Penting"),
        ("Lampiran", "{% if invitees %}1 (satu) lembar{% else %}-{% endif %}"),
        ("Perihal", "Undangan {{ meeting }}"),
    ):
        _para(document, f"{label}\t: {value}")
    _para(document, "Kepada Yth.")
    _para(document, "Bapak/Ibu/Saudara/i {% if invitees %}(daftar terlampir){% else %}................{% endif %}")
    _para(document, "di tempat")
    _para(document, "Dengan hormat,")
    _para(
        document,
        "Dalam rangka percepatan pembentukan Koperasi {{ village_word }} Merah Putih sesuai Instruksi Presiden Nomor 9 "
        "Tahun 2025, dengan ini kami mengundang Bapak/Ibu/Saudara/i untuk hadir dalam {{ meeting }} "
        "({{ meeting_short }}) "
        "{{ village_word }} {{ village }}, Kecamatan {{ kecamatan }}, yang akan dilaksanakan pada:",
        justify=True,
    )
    for label, value in (
        ("Hari, tanggal", "{{ date }}"),
        ("Waktu", "{{ time }} {{ zone }} s.d. selesai"),
        ("Tempat", "{{ place }}"),
        ("Acara", "Musyawarah pembentukan Koperasi {{ village_word }} Merah Putih {{ village }}"),
    ):
        _para(document, f"\t{label}\t: {value}")
    _signatures(
        document,
        "Mengingat pentingnya acara tersebut, kami mengharapkan kehadiran Bapak/Ibu/Saudara/i tepat pada waktunya. "
        "Atas perhatian dan kehadirannya kami ucapkan terima kasih.",
    )
    _para(document, "{%p if invitees %}")
    _para(document, "Lampiran: Daftar Undangan", bold=True, center=True).paragraph_format.page_break_before = True
    _table(
        document,
        ["No.", "Nama", "Lembaga/Unsur"],
        ["{{ r.no }}", "{{ r.name }}", "{{ r.note or r.element }}"],
        "r in invitees",
        [1.3, 8.0, 7.0],
    )
    _para(document, "{%p endif %}")
    return document


def attendance() -> DocxDocument:
    document = _new()
    _para(document, "DAFTAR HADIR {{ meeting|upper }}", bold=True, center=True, size=12)
    _para(
        document,
        "Pembentukan Koperasi {{ village_word }} Merah Putih {{ village }}, Kecamatan {{ kecamatan }}",
        center=True,
    )
    _para(document, "Hari, tanggal\t: {{ date }}")
    _para(document, "Tempat\t\t: {{ place }}")
    _table(
        document,
        ["No.", "Nama", "L/P", "Unsur", "NIK", "Tanda tangan"],
        ["{{ r.no }}", "{{ r.name }}", "{{ r.sex }}", "{{ r.element }}", "{{ r.nik }}", "{{ r.no }}."],
        "r in rows",
        [1.1, 5.0, 1.0, 3.0, 3.5, 3.2],
    )
    _signatures(document)
    return document


def berita_acara() -> DocxDocument:
    document = _new()
    _para(document, "BERITA ACARA {{ meeting|upper }}", bold=True, center=True, size=12)
    _para(document, "Nomor: {{ number }}", center=True)
    _para(
        document,
        "Pada hari ini {{ date }}, pukul {{ time }}, bertempat di {{ place }}, telah dilaksanakan {{ meeting }} "
        "({{ meeting_short }}) {{ village_word }} {{ village }}, Kecamatan {{ kecamatan }}, yang dipimpin oleh "
        "{{ convener }} dan dihadiri oleh {{ attendee_count }} orang sebagaimana tercantum dalam daftar hadir "
        "terlampir. "
        "Musyawarah menyepakati hal-hal sebagai berikut:",
        justify=True,
    )
    _para(document, "1. Persetujuan membentuk Koperasi {{ village_word }} Merah Putih melalui {{ pathway }}.")
    _para(document, "2. Nama koperasi: {{ decided_name }}.")
    _para(document, "3. Anggota pendiri sebanyak {{ founders|length }} orang (daftar pada Lampiran I).")
    _para(document, "4. Calon pengurus:")
    _table(
        document,
        ["No.", "Jabatan", "Nama", "NIK"],
        ["{{ r.no }}", "{{ r.position }}", "{{ r.name }}", "{{ r.nik }}"],
        "r in pengurus",
        [1.1, 5.0, 6.0, 4.0],
    )
    _para(document, "5. Calon pengawas:")
    _table(
        document,
        ["No.", "Jabatan", "Nama", "NIK"],
        ["{{ r.no }}", "{{ r.position }}", "{{ r.name }}", "{{ r.nik }}"],
        "r in pengawas",
        [1.1, 5.0, 6.0, 4.0],
    )
    _para(
        document,
        "6. Simpanan pokok sebesar {{ simpanan_pokok }} dan simpanan wajib sebesar {{ simpanan_wajib }} per bulan.",
    )
    _para(document, "7. Unit usaha yang dipilih: {{ units|join('; ') if units else '-' }}.")
    _para(
        document,
        "{% if no_family_ties %}8. Para calon pengurus dan pengawas menyatakan tidak memiliki hubungan "
        "keluarga sedarah maupun semenda dalam derajat pertama satu sama lain.{% endif %}",
    )
    _para(document, "{% if notes %}Catatan: {{ notes }}{% endif %}")
    _signatures(document, "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.")
    lampiran = _para(document, "Lampiran I: Daftar Anggota Pendiri", bold=True, center=True)
    lampiran.paragraph_format.page_break_before = True
    _table(
        document,
        ["No.", "Nama", "NIK"],
        ["{{ r.no }}", "{{ r.name }}", "{{ r.nik }}"],
        "r in founders",
        [1.3, 9.0, 6.0],
    )
    return document


def team_decree() -> DocxDocument:
    document = _new()
    _para(document, "KEPUTUSAN {{ head_title|upper }}", bold=True, center=True, size=12)
    _para(document, "Nomor: {{ number }}", center=True)
    _para(document, "tentang", center=True)
    _para(document, "{{ about }}", bold=True, center=True)
    _para(document, "{{ head_title|upper }},", bold=True, center=True)
    _para(
        document,
        "Menimbang\t: bahwa dalam rangka pembentukan Koperasi {{ village_word }} Merah Putih {{ village }} "
        "perlu dibentuk Tim Fasilitator yang mempersiapkan dan memfasilitasi pelaksanaan {{ meeting }};",
    )
    _para(document, "Mengingat\t: 1. Undang-Undang Nomor 25 Tahun 1992 tentang Perkoperasian;")
    _para(
        document,
        "\t\t  2. Instruksi Presiden Nomor 9 Tahun 2025 tentang Percepatan Pembentukan Koperasi "
        "Desa/Kelurahan Merah Putih;",
    )
    _para(document, "MEMUTUSKAN:", bold=True, center=True)
    _para(
        document,
        "KESATU\t: Membentuk Tim Fasilitator {{ meeting }} {{ village_word }} {{ village }} dengan susunan "
        "sebagaimana tercantum di bawah ini.",
    )
    _para(
        document,
        "KEDUA\t: Tim Fasilitator bertugas menyiapkan, mengundang unsur masyarakat, dan memfasilitasi "
        "{{ meeting }} sampai tersusunnya Berita Acara.",
    )
    _para(document, "KETIGA\t: Keputusan ini berlaku sejak tanggal ditetapkan.")
    _table(
        document,
        ["No.", "Nama", "Jabatan dalam Tim", "Unsur", "Telepon"],
        ["{{ r.no }}", "{{ r.name }}", "{{ r.position }}", "{{ r.element }}", "{{ r.phone }}"],
        "r in members",
        [1.1, 5.5, 3.6, 3.6, 3.0],
    )
    _signatures(document, decree=True)
    return document


TEMPLATES = {
    "musdesus_invitation.docx": invitation,
    "musdesus_attendance.docx": attendance,
    "musdesus_berita_acara.docx": berita_acara,
    "team_decree.docx": team_decree,
}


def build(directory: Path = HERE) -> list[Path]:
    written = []
    for name, make in TEMPLATES.items():
        path = directory / name
        make().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
