"""The registry after formation (issue 6): the cooperative's board, members, outlets and annual meetings.

The cooperative itself is `kopdes.formation.models.Cooperative`: the same record the formation stages write into.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.formation.models import Cooperative


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
