"""Training events and assistance visits with their follow-ups.

Every row carries the region code it belongs to (copied, like CooperativeVillage.village_code), so a scope filter is
one index range on its own table. Nothing here is deleted: attendance rows are withdrawn, follow-ups marked done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.regions.models import Region

__all__ = [
    "AttendeeRole",
    "FollowUp",
    "Training",
    "TrainingAttendee",
    "TrainingMaterial",
    "TrainingVillage",
    "Visit",
    "VisitPhoto",
]


class Training(models.Model):
    """A training event (pelatihan) organised by the office for the villages it invites."""

    # The office's region (kabupaten) the training belongs to: its office manages it.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=20, db_index=True)
    topic = models.CharField(_("topic"), max_length=250)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=250)
    trainer = models.CharField(_("trainer"), max_length=250)
    organiser = models.CharField(_("organiser"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    # A cancelled training stays readable but takes no attendance and leaves the dashboard's counts.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.topic


class TrainingVillage(models.Model):
    """A village invited to a training."""

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="invited")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField(max_length=20, db_index=True)
    # An invitation taken back when the training was edited: the row stays, marked removed (re-inviting clears it).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["village_code"]
        constraints = [models.UniqueConstraint(fields=["training", "village"], name="one_invitation_per_village")]

    def __str__(self) -> str:
        return f"{self.training_id} → {self.village_code}"


class AttendeeRole(models.TextChoices):
    PENGURUS = "pengurus", _("Pengurus")
    PENGAWAS = "pengawas", _("Pengawas")
    OPERATOR = "operator", _("Village operator")
    ANGGOTA = "anggota", _("Member (anggota)")
    OTHER = "other", _("Other")


class TrainingAttendee(models.Model):
    """One person who attended a training; the certificate of attendance carries `certificate_number`."""

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="attendees")
    name = models.CharField(_("name"), max_length=150)
    # Lower-case letters and single spaces: how a board member is matched when either has no NIK.
    name_key = models.CharField(max_length=150, db_index=True)
    role = models.CharField(_("role"), max_length=10, choices=AttendeeRole.choices)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    village_code = models.CharField(max_length=20, db_index=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    serial = models.PositiveIntegerField()
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["training_id", "serial"]
        constraints = [models.UniqueConstraint(fields=["training", "serial"], name="one_serial_per_training")]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.name


class TrainingMaterial(models.Model):
    """Slides or handouts of a training (PDF, PowerPoint, JPEG or PNG by content)."""

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="training/%Y/%m/")
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["training_id", "id"]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    """An assistance visit (kunjungan pendampingan) of a pendamping to a village."""

    pendamping = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pendamping")
    )
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    village_code = models.CharField(max_length=20, db_index=True)
    visit_date = models.DateField(_("visit date"), db_index=True)
    purpose = models.TextField(_("purpose"))
    findings = models.TextField(_("findings"))
    created_at = models.DateTimeField(_("recorded at"))
    # A visit recorded by mistake is cancelled, never deleted: readable, out of the counts, its follow-ups closed to
    # the case page and the reminders.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Where the visit was recorded (WGS 84, from the phone), as SIMKOPDES keeps a facilitator's attendance with its
    # position and photo (`regional_facilitator_attendances`: public schema dump of the kop-go-id organisation, Oct
    # 2025, unofficial). Empty for visits recorded without a position.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # A Business Assistant's visit names the assigned cooperative it was for (its monthly report lists it).
    cooperative = models.ForeignKey(
        "formation.Cooperative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("assistance visit")
        verbose_name_plural = _("assistance visits")

    def __str__(self) -> str:
        return f"{self.village_code} {self.visit_date}"


class FollowUp(models.Model):
    """An action agreed on a visit: who does it by when. Open until marked done."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="follow_ups")
    village_code = models.CharField(max_length=20, db_index=True)  # the visit's, for scope filters
    text = models.TextField(_("action"))
    owner_name = models.CharField(_("owner"), max_length=150)
    owner_role = models.CharField(_("owner's role"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), db_index=True)
    done_date = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["village_code", "due_date"], condition=models.Q(done_date__isnull=True), name="open_follow_up"
            )
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.text[:80]


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(upload_to="visits/%Y/%m/")
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.original_name
