"""A village's roster: the people who take part in the programme (team, invitees, attendees, founders, board,
members, trainees), entered once and picked wherever a paper names them.

A NIK (kept as 16 ASCII digits, `cleaners.nik`) is unique among the village's people still on the roster; a person is
retired (`retired_at`), never deleted, so the papers that named them keep their link.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Male (L)")
    FEMALE = "P", _("Female (P)")


class Source(models.TextChoices):
    FORM = "form", _("Entered in a form")
    PASTE = "paste", _("Pasted from a spreadsheet")
    OPENSID = "opensid", _("OpenSID export")


class PersonQuerySet(models.QuerySet):
    def on_roster(self) -> PersonQuerySet:
        return self.filter(retired_at__isnull=True)

    def of_village(self, village_code: str) -> PersonQuerySet:
        return self.filter(village_code=village_code)


class Person(models.Model):
    village_code = models.CharField(_("village code"), max_length=20, db_index=True)  # a Level.DESA region
    name = models.CharField(_("name"), max_length=150)
    # the name as the search compares it (`cleaning.search_key`: no accents, case folded), set by people.services
    search_name = models.CharField(max_length=150, blank=True, editable=False)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position in the village"), max_length=100, blank=True)  # jabatan, free text
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["village_code", "nik"],
                condition=Q(retired_at__isnull=True) & ~Q(nik=""),
                name="person_nik_unique_per_village",
            )
        ]
        indexes = [models.Index(fields=["village_code", "name"], name="person_village_name")]

    def __str__(self) -> str:  # never the NIK (audit reprs, logs)
        return self.name

    @property
    def rt_rw(self) -> str:
        return "/".join(part for part in (self.rt, self.rw) if part)
