"""The building of a cooperative (Inpres 17/2025 gerai and pergudangan), its track, evidence, equipment, channels and
instalments. The building is found by its cooperative; scope follows the cooperative's villages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.buildings.workflow import (
    STEP_CHOICES,
    AssetRegister,
    Band,
    ChannelState,
    ExifSource,
    FundingSource,
    LandOwner,
    VehicleKind,
)
from kopdes.formation.models.core import Decided
from kopdes.formation.workflow import MoveKind, SubmissionStatus


class ChannelKind(models.Model):
    """A channel a building may trade through (LPG 3 kg, kerosene, SPHP rice, subsidised fertiliser, pharmacy, clinic,
    …): a lookup table the office edits in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("channel kind")
        verbose_name_plural = _("channel kinds")

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """The cooperative's gerai and warehouse: the verified facts of each step (written on verification)."""

    cooperative = models.OneToOneField("formation.Cooperative", on_delete=models.PROTECT, related_name="building")
    # the village the building serves (the cooperative's region code): the key for scope and reports
    region_code = models.CharField(_("region code"), max_length=20, db_index=True)
    step = models.PositiveSmallIntegerField(_("step"), choices=STEP_CHOICES, null=True, blank=True)  # last verified
    band = models.PositiveSmallIntegerField(_("construction band"), choices=Band.choices, null=True, blank=True)
    units = models.ManyToManyField("formation.BusinessUnit", blank=True, related_name="+", verbose_name=_("units"))
    outlets = models.ManyToManyField("cooperatives.Outlet", blank=True, related_name="+", verbose_name=_("outlets"))
    # 1 land proposed
    land_owner = models.CharField(_("land owner"), max_length=10, choices=LandOwner.choices, blank=True)
    land_certificate = models.CharField(_("certificate or letter number"), max_length=100, blank=True)
    land_area_m2 = models.DecimalField(_("land area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    road_access = models.CharField(_("road access"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    land_proposed_on = models.DateField(_("land proposed on"), null=True, blank=True)
    # 2 land surveyed → clear and clean → entered in the builder's portal
    surveyed_by = models.CharField(_("surveyed by"), max_length=200, blank=True)
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    clear_on = models.DateField(_("declared clear and clean on"), null=True, blank=True)
    portal_on = models.DateField(_("entered in the builder's portal on"), null=True, blank=True)
    # 3 construction: the band, its photo date
    band_on = models.DateField(_("band reached on"), null=True, blank=True)
    # 4 handover
    handover_on = models.DateField(_("handed over on"), null=True, blank=True)
    handover_number = models.CharField(_("handover document number"), max_length=100, blank=True)
    asset_register = models.CharField(_("asset register"), max_length=10, choices=AssetRegister.choices, blank=True)
    asset_number = models.CharField(_("asset register number"), max_length=100, blank=True)
    asset_on = models.DateField(_("entered in the asset register on"), null=True, blank=True)
    # 7 first sale, then trading
    first_sale_on = models.DateField(_("first sale on"), null=True, blank=True)
    first_sale_what = models.CharField(_("what was sold"), max_length=200, blank=True)
    # steps the office accepted as "tidak berlaku" (their reasons are in the history)
    not_applicable = models.JSONField(_("steps not applicable"), default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    # touched by every write: the public pages' cache key (kopdes/buildings/public.py)
    updated_at = models.DateTimeField(_("last update"), db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return str(_("Building of %(name)s") % {"name": self.cooperative})

    @property
    def is_trading(self) -> bool:
        return self.first_sale_on is not None


class Submission(Decided):
    """Evidence for one step (a band, a channel's state, …), submitted and then verified or returned by the office.
    `data` holds the step's facts (dates as ISO strings); `not_applicable` marks the step "tidak berlaku"."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="submissions")
    step = models.PositiveSmallIntegerField(_("step"), choices=STEP_CHOICES)
    band = models.PositiveSmallIntegerField(_("construction band"), choices=Band.choices, null=True, blank=True)
    channel = models.ForeignKey(ChannelKind, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    evidence_date = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # a band lower than the verified one, or a step that does not apply: why
    reason = models.TextField(_("reason"), blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.building_id}: {self.get_step_display()} ({self.get_status_display()})"


class EvidenceFile(models.Model):
    """A document or photo of a submission, stored outside the static root, served through an access-checked view.
    A photo's position and date are evidence, never proof; a photo without a position is kept and flagged."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="buildings/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    taken_on = models.DateField(_("photo date"), null=True, blank=True)
    # the position typed in the form
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # the photo's own EXIF position and time, read from the original before it was re-encoded (the stored image
    # carries no metadata): by the server from the uploaded bytes, else as the phone read it before sending
    exif_latitude = models.DecimalField(_("EXIF latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    exif_longitude = models.DecimalField(_("EXIF longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    exif_taken_at = models.CharField(_("EXIF time"), max_length=19, blank=True)  # as the camera wrote it, no zone
    exif_read_by = models.CharField(_("EXIF read by"), max_length=10, choices=ExifSource.choices, blank=True)
    # where the phone was when the photo was sent (the browser's location, when the user allowed it)
    device_latitude = models.DecimalField(_("phone latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    device_longitude = models.DecimalField(_("phone longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    device_accuracy_m = models.PositiveIntegerField(_("phone location accuracy (m)"), null=True, blank=True)
    # the office's choice: shown on the public pages (re-encoded without metadata)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")

    def positions(self) -> list[tuple[str, float, float]]:
        """The positions the photo carries, each as (source, latitude, longitude): "exif", "device", "typed"."""
        found = []
        for source, lat, lon in (
            ("exif", self.exif_latitude, self.exif_longitude),
            ("device", self.device_latitude, self.device_longitude),
            ("typed", self.latitude, self.longitude),
        ):
            if lat is not None and lon is not None:
                found.append((source, float(lat), float(lon)))
        return found

    @property
    def has_position(self) -> bool:
        return bool(self.positions())


class Move(models.Model):
    """History: every move of a building's track (who, when, which step, why). Never edited or deleted."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("event"), max_length=20, choices=MoveKind.choices)
    step = models.PositiveSmallIntegerField(_("step"), choices=STEP_CHOICES, null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)  # the band, the channel and its state
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=200, default="form")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.building_id}: {self.kind} {self.step}"


class Vehicle(models.Model):
    """A vehicle received with the building, with its registration (written when the office verifies step 5)."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="vehicles")
    kind = models.CharField(_("vehicle"), max_length=15, choices=VehicleKind.choices)
    registration = models.CharField(_("registration number"), max_length=20)
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["building_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registration}"


class Channel(models.Model):
    """A channel of the building and the dates of its verified states (registered → verified → active)."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="channels")
    kind = models.ForeignKey(ChannelKind, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=ChannelState.choices, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    active_on = models.DateField(_("active on"), null=True, blank=True)
    not_applicable_reason = models.TextField(_("reason it does not apply"), blank=True)

    class Meta:
        ordering = ["building_id", "kind__order", "kind__name"]
        constraints = [models.UniqueConstraint(fields=["building", "kind"], name="one_channel_of_a_kind_per_building")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.get_state_display()}"


class InstalmentPlan(models.Model):
    """How the building is repaid for one village: amount and schedule as its allocation letter sets them, with the
    regulation it cites (for 2026, PMK 7/2026's share of Dana Desa; a kelurahan from the regency's transfers)."""

    building = models.OneToOneField(Building, on_delete=models.PROTECT, related_name="instalment_plan")
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    regulation = models.CharField(_("regulation cited"), max_length=200)
    letter_number = models.CharField(_("allocation letter number"), max_length=100)
    letter_date = models.DateField(_("allocation letter date"))
    total_amount = models.DecimalField(_("total (Rp)"), max_digits=15, decimal_places=0)
    # the schedule: [{"due_on": "YYYY-MM-DD", "amount": "123000000"}, …], in date order
    schedule = models.JSONField(_("schedule"), default=list)
    updated_at = models.DateTimeField(_("last update"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("instalment plan")
        verbose_name_plural = _("instalment plans")

    def __str__(self) -> str:
        return f"{self.building_id}: {self.letter_number}"
