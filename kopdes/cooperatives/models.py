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
