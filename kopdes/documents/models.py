"""Who issues the generated papers (issuers, penerbit), their letterheads, signers and registers of outgoing letters.

Sources: docs/glossary.md (penerbit, agenda surat keluar, NIP); the letterhead lines and numbering follow the regency's
tata naskah dinas (Permendagri 1/2023; classification codes Permendagri 83/2022; desa register A.7 Buku Agenda,
Permendagri 47/2016)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdes.cleaners.nip import format_nip
from kopdes.regions.models import Region

DEFAULT_NUMBER_TEMPLATE = "{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}"


class IssuerKind(models.TextChoices):
    OFFICE = "office", _("Regency office (dinas)")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Village government (pemerintah desa)")
    BPD = "bpd", _("Village consultative body (BPD)")
    KELURAHAN = "kelurahan", _("Kelurahan (lurah, with the LPMK)")
    COOPERATIVE = "cooperative", _("Cooperative")


class Issuer(models.Model):
    """A body that issues papers: its letterhead (kop surat), its signers and its register of outgoing letters.

    One per (kind, region) for government bodies; one per cooperative (`cooperative_pk`, the formation.Cooperative's
    primary key: documents lies below formation and holds no foreign key to it). `region`: the office's regency or
    province, the kecamatan, or the village (desa, BPD, kelurahan, the cooperative's village)."""

    kind = models.CharField(_("kind"), max_length=12, choices=IssuerKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    cooperative_pk = models.PositiveIntegerField(_("cooperative"), null=True, blank=True)
    government = models.CharField(_("government"), max_length=200, help_text=_("e.g. PEMERINTAH KABUPATEN PASER"))
    unit_line = models.CharField(
        _("line between"), max_length=200, blank=True, help_text=_("e.g. KECAMATAN BATU SOPANG on a village's kop")
    )
    office = models.CharField(_("office"), max_length=250)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("telephone, email, website"), max_length=300, blank=True)
    city = models.CharField(_("place of signing"), max_length=100, help_text=_("e.g. Tana Paser"))
    logo = models.FileField(_("logo (PNG or JPEG)"), upload_to="letterhead/", blank=True)
    number_template = models.CharField(
        _("number format"),
        max_length=120,
        default=DEFAULT_NUMBER_TEMPLATE,
        help_text=_("Tokens: {klasifikasi} {nomor} {unit} {bulan_romawi} {bulan} {tahun}"),
    )
    classification = models.CharField(
        _("classification code"), max_length=30, blank=True, help_text=_("Permendagri 83/2022, e.g. 500.3")
    )
    unit_code = models.CharField(_("unit code"), max_length=30, blank=True, help_text=_("e.g. KOP"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["region__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region"], condition=~Q(kind="cooperative"), name="issuer_one_per_body"
            ),
            models.UniqueConstraint(
                fields=["cooperative_pk"], condition=Q(kind="cooperative"), name="issuer_one_per_cooperative"
            ),
            models.CheckConstraint(
                condition=Q(kind="cooperative", cooperative_pk__isnull=False)
                | (~Q(kind="cooperative") & Q(cooperative_pk__isnull=True)),
                name="issuer_cooperative_pk_iff_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.government} — {self.office}"

    # The office's head, as the printed recap and certificates read it (its first active signer).
    def _head(self):
        if self.pk is None:
            return None
        return self.signers.filter(is_active=True).order_by("order", "id").first()

    @property
    def head_title(self) -> str:
        head = self._head()
        return head.position if head else "Kepala Dinas"

    @property
    def head_name(self) -> str:
        head = self._head()
        return head.name if head else ""

    @property
    def head_nip(self) -> str:
        head = self._head()
        return format_nip(head.nip) if head and head.nip else ""


class SignerRole(models.TextChoices):
    KEPALA_DINAS = "kepala_dinas", _("Head of office (Kepala Dinas)")
    PEJABAT_DINAS = "pejabat_dinas", _("Office official")
    CAMAT = "camat", _("Camat")
    SEKRETARIS_CAMAT = "sekcam", _("Secretary of the kecamatan")
    KEPALA_DESA = "kepala_desa", _("Village head (kepala desa)")
    SEKRETARIS_DESA = "sekdes", _("Village secretary")
    KETUA_BPD = "ketua_bpd", _("BPD chair")
    PENGURUS_BPD = "pengurus_bpd", _("BPD officer")
    LURAH = "lurah", _("Lurah")
    KETUA_LPMK = "ketua_lpmk", _("LPMK chair")
    KETUA_KOPERASI = "ketua_koperasi", _("Cooperative chair")
    SEKRETARIS_KOPERASI = "sekretaris_koperasi", _("Cooperative secretary")


# Civil servants sign with their NIP (Permendagri 1/2023 Pasal 44; the research note on letters §4): it is required
# for them and refused for everyone else (a kepala desa, BPD and cooperative officers have none).
CIVIL_SERVANT_ROLES = frozenset(
    {
        SignerRole.KEPALA_DINAS,
        SignerRole.PEJABAT_DINAS,
        SignerRole.CAMAT,
        SignerRole.SEKRETARIS_CAMAT,
        SignerRole.LURAH,
    }
)
ROLES_OF_ISSUER: dict[str, tuple[str, ...]] = {
    IssuerKind.OFFICE: (SignerRole.KEPALA_DINAS, SignerRole.PEJABAT_DINAS),
    IssuerKind.KECAMATAN: (SignerRole.CAMAT, SignerRole.SEKRETARIS_CAMAT),
    IssuerKind.DESA: (SignerRole.KEPALA_DESA, SignerRole.SEKRETARIS_DESA),
    IssuerKind.BPD: (SignerRole.KETUA_BPD, SignerRole.PENGURUS_BPD),
    IssuerKind.KELURAHAN: (SignerRole.LURAH, SignerRole.KETUA_LPMK),
    IssuerKind.COOPERATIVE: (SignerRole.KETUA_KOPERASI, SignerRole.SEKRETARIS_KOPERASI),
}


class Signer(models.Model):
    """A person who signs an issuer's papers: name, position as printed (jabatan), NIP for civil servants only."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="signers")
    role = models.CharField(_("role"), max_length=24, choices=SignerRole.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(
        _("position (jabatan)"), max_length=150, help_text=_("as printed, e.g. Camat Batu Sopang")
    )
    rank = models.CharField(_("rank (pangkat/golongan)"), max_length=100, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["issuer", "order", "id"]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    @property
    def is_civil_servant(self) -> bool:
        return self.role in CIVIL_SERVANT_ROLES


class LetterCounter(models.Model):
    """The last serial handed out by an issuer in a calendar year (the running number restarts each 1 January).
    Locked with select_for_update while a number is taken (`services.issue_paper`)."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="counter_one_per_issuer_year")]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.year}: {self.last_serial}"


class IssuedPaper(models.Model):
    """One row of an issuer's register of outgoing letters (agenda surat keluar): a number taken once, never reused,
    with its date of issue frozen. `kind`: the paper's slug (e.g. "musdesus-undangan"); `subject_key`: what it is
    about (e.g. "cooperative:12"); (issuer, kind, subject_key) is issued once."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="papers")
    kind = models.CharField(_("paper"), max_length=60)
    subject_key = models.CharField(_("subject"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    classification = models.CharField(_("classification code"), max_length=30, blank=True)
    unit_code = models.CharField(_("unit code"), max_length=30, blank=True)
    number = models.CharField(_("number"), max_length=150)
    date_of_issue = models.DateField(_("date of issue"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("issued paper")
        verbose_name_plural = _("issued papers")
        ordering = ["issuer", "year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "serial"], name="paper_serial_once"),
            models.UniqueConstraint(fields=["issuer", "kind", "subject_key"], name="paper_issued_once"),
        ]

    def __str__(self) -> str:
        return self.number


class PaperDraft(models.Model):
    """The planned date of issue of a paper not yet issued (editable until it is issued; then the register's
    `IssuedPaper.date_of_issue` is frozen and this row is only history). Same (issuer, kind, subject_key) as the
    paper it plans. Papers dated by their subject (a Berita Acara: the meeting's date) keep no draft."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("paper"), max_length=60)
    subject_key = models.CharField(_("subject"), max_length=100)
    planned_date = models.DateField(_("planned date of issue"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("paper draft")
        verbose_name_plural = _("paper drafts")
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "subject_key"], name="draft_one_per_paper")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key}: {self.planned_date}"
