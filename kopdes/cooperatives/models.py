"""The registry after formation: the cooperative's board, members, outlets and annual meetings.

The cooperative itself is `kopdes.formation.models.Cooperative`: the same record the formation stages write into.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.formation.models import BoardPosition, Cooperative


class Organ(models.TextChoices):
    PENGURUS = "pengurus", _("Pengurus")
    PENGAWAS = "pengawas", _("Pengawas")


class BoardMember(models.Model):
    """One person's seat on the board (pengurus or pengawas) for one term. A board change ends the seat (`ended_at`)
    and adds a new row, so the history of the board is kept; rows are never deleted."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="board_members")
    organ = models.CharField(_("organ"), max_length=10, choices=Organ.choices)
    # Values of kopdes.formation.models.BoardPosition (ketua, sekretaris, bendahara, ... anggota)
    position = models.CharField(_("position"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    term_start = models.DateField(_("term of office from"), null=True, blank=True)
    term_end = models.DateField(_("term of office until"), null=True, blank=True)
    ended_at = models.DateField(_("left the board on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["cooperative_id", "organ", "id"]
        indexes = [
            models.Index(fields=["cooperative", "organ"], condition=Q(ended_at__isnull=True), name="sitting_board")
        ]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_organ_display()})"

    @property
    def is_sitting(self) -> bool:
        return self.ended_at is None

    def get_position_label(self) -> str:
        return str(BoardPosition(self.position).label) if self.position in BoardPosition.values else self.position


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class Member(models.Model):
    """A member (anggota) of a cooperative. Leaving sets the status, never deletes; one row per NIK per cooperative
    (a member who rejoins is the same row, active again). Sex and birth date are derived from the NIK."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="members")
    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1)  # L / P, from the NIK
    birth_date = models.DateField(_("birth date"))  # from the NIK
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=10, blank=True)
    join_date = models.DateField(_("joined on"), null=True, blank=True)
    simpanan_pokok = models.DecimalField(_("simpanan pokok paid"), max_digits=14, decimal_places=2, default=0)
    simpanan_wajib = models.DecimalField(_("simpanan wajib paid to date"), max_digits=14, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    left_date = models.DateField(_("left on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, default="form")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("last update"))

    class Meta:
        ordering = ["cooperative_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "nik"], name="one_member_row_per_nik")]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name


class OutletStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONSTRUCTION = "construction", _("Under construction")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class LandStatus(models.TextChoices):
    VILLAGE = "village", _("Village land (tanah kas desa)")
    OWN = "own", _("Owned by the cooperative")
    RENTED = "rented", _("Rented")
    LOANED = "loaned", _("Loaned (pinjam pakai)")
    OTHER = "other", _("Other")


class Outlet(models.Model):
    """A business unit (gerai) of the cooperative: one of the standard units or another type, with its land plot.
    Closing keeps the row (status closed)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="outlets")
    unit = models.ForeignKey(
        "formation.BusinessUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_type = models.CharField(_("other type"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=OutletStatus.choices, default=OutletStatus.PLANNED)
    progress_percent = models.PositiveSmallIntegerField(_("construction progress (%)"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    land_status = models.CharField(_("land ownership"), max_length=10, choices=LandStatus.choices, blank=True)
    land_note = models.CharField(_("land note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last update"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["cooperative_id", "id"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name or self.type_label

    @property
    def type_label(self) -> str:
        return self.unit.name if self.unit is not None else self.other_type


class AnnualMeeting(models.Model):
    """The RAT (Rapat Anggota Tahunan) of one book year: held or not, when, and its minutes (an access-checked file)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="annual_meetings")
    book_year = models.PositiveSmallIntegerField(_("book year"))
    held = models.BooleanField(_("held"), default=False)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    minutes = models.FileField(upload_to="rat/%Y/", blank=True)
    minutes_name = models.CharField(_("minutes file"), max_length=200, blank=True)
    minutes_type = models.CharField(max_length=50, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(_("last update"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["cooperative_id", "-book_year"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "book_year"], name="one_rat_per_book_year")]
        verbose_name = _("RAT")
        verbose_name_plural = _("RATs")

    def __str__(self) -> str:
        return f"RAT {self.book_year}"


class HealthSnapshot(models.Model):
    """The health score of a cooperative on one day (the trend): written by `record_health_scores`."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="health_snapshots")
    day = models.DateField(_("day"))
    score = models.PositiveSmallIntegerField(_("score"))
    out_of = models.PositiveSmallIntegerField()
    passed = models.JSONField(default=list)  # keys of the components that passed

    class Meta:
        ordering = ["cooperative_id", "-day"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "day"], name="one_health_snapshot_per_day")]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.day}: {self.score}/{self.out_of}"
