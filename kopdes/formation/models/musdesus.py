"""The facilitator team and the Musdesus/Muskelsus of a village: schedule, people named in its papers, decisions, and
the per-programme severities of the rule checks (Juklak Menkop 1/2025; SE Mendes PDT 6/2025)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdes.formation.models.core import Cooperative, Programme
from kopdes.formation.workflow import Pathway


class Element(models.TextChoices):
    """The community element a person represents."""

    TOKOH_MASYARAKAT = "tokoh_masyarakat", _("Community figure (tokoh masyarakat)")
    TOKOH_AGAMA = "tokoh_agama", _("Religious figure (tokoh agama)")
    PELAKU_USAHA = "pelaku_usaha", _("Local business (pelaku usaha lokal)")
    BPD = "bpd", _("Village council (BPD)")
    PEREMPUAN = "perempuan", _("Women / PKK")
    PEMUDA = "pemuda", _("Youth / Karang Taruna")
    # residents taking part as such (warga), not as a figure: the Musdesus is open to villagers, who join as founders
    # (the Juklak's participants are the community's elements; the Kemendes SE of 1 Oct 2025 asks all villagers to join)
    MASYARAKAT = "masyarakat", _("Residents (masyarakat / warga)")
    LAINNYA = "lainnya", _("Other")


class BoardPosition(models.TextChoices):
    KETUA = "ketua", _("Chair (ketua)")
    WAKIL_USAHA = "wakil_usaha", _("Vice chair for business")
    WAKIL_KEANGGOTAAN = "wakil_keanggotaan", _("Vice chair for membership")
    SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
    BENDAHARA = "bendahara", _("Treasurer (bendahara)")
    ANGGOTA = "anggota", _("Member (anggota)")


class VillageOffice(models.TextChoices):
    """A board candidate's office in the village: the kades/lurah is ex officio ketua pengawas, and no pengurus may come
    from the village leadership (unsur pimpinan desa)."""

    NONE = "", _("None")
    HEAD = "head", _("Village head / lurah")
    APPARATUS = "apparatus", _("Village apparatus (perangkat)")
    BPD_LEADER = "bpd_leader", _("BPD leadership")


class ParticipantKind(models.TextChoices):
    INVITEE = "invitee", _("Invitee")
    ATTENDEE = "attendee", _("Attendee")
    FOUNDER = "founder", _("Founding member")
    PENGURUS = "pengurus", _("Pengurus candidate")
    PENGAWAS = "pengawas", _("Pengawas candidate")


class RevitalisationMethod(models.TextChoices):
    AKTIF_KEMBALI = "aktif_kembali", _("Reactivation (aktif kembali)")
    PENGGABUNGAN = "penggabungan", _("Merger (penggabungan)")


class Severity(models.TextChoices):
    ERROR = "error", _("Error (blocks submitting for verification)")
    WARNING = "warning", _("Warning")
    OFF = "off", _("Not checked")


class FacilitatorTeam(models.Model):
    """The tim fasilitator formed by the kades/lurah (stage 2)."""

    cooperative = models.OneToOneField(Cooperative, on_delete=models.PROTECT, related_name="facilitator_team")
    village_head_name = models.CharField(_("name of the village head / lurah"), max_length=150, blank=True)
    decree_number = models.CharField(_("village head decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    formed_date = models.DateField(_("team formed on"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.cooperative}: tim fasilitator"


class FacilitatorMember(models.Model):
    team = models.ForeignKey(FacilitatorTeam, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position in the team"), max_length=100, blank=True)
    element = models.CharField(_("element"), max_length=20, choices=Element.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class BusinessUnit(models.Model):
    """A business unit a cooperative may choose: the seven standard ones (seeded) and any the office adds."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_standard = models.BooleanField(_("standard unit"), default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")

    def __str__(self) -> str:
        return self.name


class Musdesus(models.Model):
    """The village's special deliberation (Musdesus; Muskelsus in a kelurahan): schedule and decisions."""

    cooperative = models.OneToOneField(Cooperative, on_delete=models.PROTECT, related_name="musdesus")
    # schedule (stage 3)
    date = models.DateField(_("date"), null=True, blank=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=250, blank=True)
    convener = models.CharField(_("convener"), max_length=150, blank=True, help_text=_("e.g. Ketua BPD"))
    invitation_number = models.CharField(_("invitation letter number"), max_length=100, blank=True)
    # decisions (stage 4)
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices, blank=True)
    revitalisation_method = models.CharField(
        _("revitalisation method"), max_length=20, choices=RevitalisationMethod.choices, blank=True
    )
    existing_cooperative = models.CharField(_("existing cooperative"), max_length=250, blank=True)
    cooperative_name = models.CharField(_("cooperative name"), max_length=250, blank=True)
    simpanan_pokok = models.DecimalField(
        _("simpanan pokok (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    simpanan_wajib = models.DecimalField(
        _("simpanan wajib (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    business_units = models.ManyToManyField(
        BusinessUnit, blank=True, related_name="+", verbose_name=_("business units")
    )
    other_units = models.CharField(_("other business units"), max_length=300, blank=True)
    no_family_ties_declared = models.BooleanField(
        _("board members declared no first-degree family ties among them"), default=False
    )
    community_representative = models.CharField(
        _("community representative signing the Berita Acara"),
        max_length=150,
        blank=True,
        help_text=_("A tokoh masyarakat present at the meeting; empty: the first community figure on the attendance."),
    )
    berita_acara_number = models.CharField(_("Berita Acara number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decisions_recorded_at = models.DateTimeField(null=True, blank=True)
    # The rule findings of the last save: [{"rule", "severity", "params"}] (shown on the case page, kept in the audit).
    findings = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("Musdesus")
        verbose_name_plural = _("Musdesus")

    def __str__(self) -> str:
        return f"Musdesus {self.cooperative}"


class Participant(models.Model):
    """A person named in the Musdesus papers: invitee, attendee, founding member, or pengurus/pengawas candidate."""

    musdesus = models.ForeignKey(Musdesus, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=10, choices=ParticipantKind.choices, db_index=True)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, blank=True)  # L / P as on the KTP
    element = models.CharField(_("element"), max_length=20, choices=Element.choices, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    position = models.CharField(_("position"), max_length=20, choices=BoardPosition.choices, blank=True)
    village_office = models.CharField(
        _("office in the village"), max_length=20, choices=VillageOffice.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # the roster entry picked for this line (people.Person); empty for a line typed as text
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )

    class Meta:
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return self.name


class RuleSeverity(models.Model):
    """A programme's own severity for one rule check; rules without a row use the defaults of `musdesus.rules`."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rule_severities")
    rule = models.CharField(_("rule"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "rule"], name="one_severity_per_rule")]
        verbose_name = _("rule severity")
        verbose_name_plural = _("rule severities")

    def __str__(self) -> str:
        return f"{self.rule}: {self.severity}"
