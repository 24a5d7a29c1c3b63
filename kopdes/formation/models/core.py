"""The formation record: one cooperative per village (or several villages jointly), its stage, evidence and history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdes.accounts.scope import NATION, scope_codes, scope_q
from kopdes.formation.workflow import (
    DEFAULT_FORMED_STAGE,
    STAGE_CHOICES,
    MoveKind,
    Pathway,
    Sensitivity,
    SubmissionStatus,
)
from kopdes.periods.models import Frequency
from kopdes.regions.models import Region, subtree_q

if TYPE_CHECKING:
    from kopdes.accounts.models import User


class Programme(models.Model):
    """A formation programme of one region (a regency's, a province's or the nation's)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    threshold_percent = models.DecimalField(_("realisation threshold (%)"), max_digits=5, decimal_places=2, default=80)
    formed_stage = models.PositiveSmallIntegerField(
        _("stage counted as formed"), choices=STAGE_CHOICES, default=DEFAULT_FORMED_STAGE
    )
    reporting_period = models.CharField(
        _("reporting period"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    start_date = models.DateField(_("start date"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """A dated target: targets get overtaken (Paser's 60 became 144), so each change is a new row."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="targets")
    count = models.PositiveIntegerField(_("target (cooperatives)"))
    deadline = models.DateField(_("deadline"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")

    def __str__(self) -> str:
        return f"{self.count} / {self.deadline}"


class CooperativeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_region(self, code: str):
        """Cooperatives serving a village in the subtree of `code` (an index range on the membership's code)."""
        members = CooperativeVillage.objects.filter(left_at__isnull=True).filter(subtree_q(code, "village_code"))
        return self.filter(id__in=members.values("cooperative_id"))

    def visible_to(self, user: User):
        """Records serving a village in the user's scope, and records merged away from such a village (their history
        stays readable by those who see the village)."""
        if scope_codes(user) == [NATION]:
            return self
        members = CooperativeVillage.objects.filter(Q(left_at__isnull=True) | Q(cooperative__is_active=False)).filter(
            scope_q(user, "village_code")
        )
        return self.filter(id__in=members.values("cooperative_id"))


class SimkopdesStatus(models.TextChoices):
    NONE = "", _("Not registered")
    REQUESTED = "requested", _("Registration submitted")
    ACTIVE = "active", _("Account active")
    PROBLEM = "problem", _("Account has a problem")


class Cooperative(models.Model):
    """The cooperative being formed, and after formation the registry record (Inpres 9/2025)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cooperatives")
    name = models.CharField(_("name"), max_length=250)
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices, blank=True)
    # The verified stage; a submission waiting for the office does not change it.
    stage = models.PositiveSmallIntegerField(_("stage"), choices=STAGE_CHOICES, default=0, db_index=True)
    # Code of the village the record was created for: the key for ordering and for regions in reports.
    region_code = models.CharField(_("region code"), max_length=20, db_index=True)
    version = models.PositiveIntegerField(default=0)  # bumped by every write; guards concurrent submissions
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    # When the record last moved (created, verified, stepped back): the latest `move_time` of those moves, kept by
    # formation.counts in the same transaction; the dashboards' "stalled" list reads it (indexed).
    last_moved_at = models.DateTimeField(_("last stage move"), null=True, blank=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    # Evidence written in by the verified stages (workflow.STAGES).
    sosialisasi_date = models.DateField(_("socialisation date"), null=True, blank=True)
    team_formed_date = models.DateField(_("facilitator team formed on"), null=True, blank=True)
    team_decree_number = models.CharField(_("facilitator team decree number"), max_length=100, blank=True)
    musdesus_scheduled_date = models.DateField(_("Musdesus scheduled for"), null=True, blank=True)
    musdesus_date = models.DateField(_("Musdesus held on"), null=True, blank=True)
    founding_meeting_date = models.DateField(_("founding meeting date"), null=True, blank=True)
    name_booked_date = models.DateField(_("name booked on"), null=True, blank=True)
    deed_date = models.DateField(_("deed date"), null=True, blank=True)
    deed_number = models.CharField(_("deed number"), max_length=100, blank=True)
    sk_ahu_date = models.DateField(_("SK AHU date"), null=True, blank=True)
    sk_ahu_number = models.CharField(_("SK AHU number"), max_length=100, blank=True)
    nib_date = models.DateField(_("NIB date"), null=True, blank=True)
    nib = models.CharField(_("NIB"), max_length=50, blank=True)
    simkopdes_date = models.DateField(_("SIMKOPDES registration date"), null=True, blank=True)
    simkopdes_account = models.CharField(_("SIMKOPDES account"), max_length=100, blank=True)
    operating_since = models.DateField(_("operating since"), null=True, blank=True)

    # The registry profile after formation, kept up by the cooperative, the village and the office.
    address = models.TextField(_("address"), blank=True)
    nomor_induk_koperasi = models.CharField(_("Nomor Induk Koperasi"), max_length=50, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)  # digits only (15 or 16); shown formatted
    kbli_codes = models.JSONField(_("KBLI codes"), default=list, blank=True)  # 5-digit strings
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("bank account number"), max_length=40, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    simkopdes_status = models.CharField(
        _("SIMKOPDES account status"), max_length=20, choices=SimkopdesStatus.choices, blank=True
    )
    # Last change to the registry (profile, board, members, outlets, RAT): the health view's "data updated" component.
    registry_updated_at = models.DateTimeField(_("registry last updated"), null=True, blank=True)

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name

    @property
    def simkopdes_status_label(self) -> str:
        """The status the registry recorded; a verified stage 10 without one reads as registered."""
        if not self.simkopdes_status and self.simkopdes_account:
            return str(_("Registered (stage 10 verified)"))
        return self.get_simkopdes_status_display()

    @property
    def npwp_display(self) -> str:
        """15 digits as 99.999.999.9-999.999; the 16-digit NPWP (a NIK-style number since 2024) in groups of four."""
        d = self.npwp
        if len(d) == 15:
            return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
        if len(d) == 16:
            return " ".join(d[i : i + 4] for i in range(0, 16, 4))
        return d


class CooperativeVillage(models.Model):
    """A village served by a cooperative. Ending a membership (merge) keeps the row; at most one active per village."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="memberships")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Copied from the village so scope filters are one index range on this table.
    village_code = models.CharField(max_length=20, db_index=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=Q(left_at__isnull=True), name="one_active_cooperative_per_village"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_code} → {self.cooperative_id}"


class Decided(models.Model):
    """Who submitted a piece of evidence and when, and who verified or returned it, when and why: the fields every
    submission verified by the office carries (formation's stages, the building's steps)."""

    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True


class StageSubmission(Decided):
    """Evidence for one stage, submitted by a village (or camat, pendamping, office) and verified or returned."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="submissions")
    from_stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=STAGE_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    evidence_date = models.DateField(_("date"), null=True, blank=True)
    evidence_number = models.CharField(_("number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Reason the stages passed over on the way are not applicable (tidak berlaku).
    skip_reason = models.TextField(_("reason for skipped stages"), blank=True)
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices, blank=True)
    # The cooperative's name as the Musdesus decided it (stage 4), written into the record on verification.
    decided_name = models.CharField(_("decided name"), max_length=250, blank=True)
    # KBLI codes of the business the NIB covers (stage 9), written into the cooperative's profile on verification.
    kbli_codes = models.JSONField(_("KBLI codes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, default="form")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative"], condition=Q(status="pending"), name="one_pending_submission_per_cooperative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} → {self.get_stage_display()} ({self.get_status_display()})"


class EvidenceFile(models.Model):
    """An uploaded file, stored outside the static root and served only through an access-checked view."""

    submission = models.ForeignKey(StageSubmission, on_delete=models.PROTECT, related_name="files")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


def move_time():
    """The moment a move happened, as a query expression: `happened_at` (an imported move's evidence date) or else the
    time it was recorded. What the dashboards count by."""
    return Coalesce(F("happened_at"), F("at"))


class StageMove(models.Model):
    """History: every move of a case (who, when, from, to, why, source). Never edited or deleted."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("event"), max_length=20, choices=MoveKind.choices)
    from_stage = models.PositiveSmallIntegerField(_("from stage"), choices=STAGE_CHOICES, null=True, blank=True)
    to_stage = models.PositiveSmallIntegerField(_("to stage"), choices=STAGE_CHOICES, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=200, default="form")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)  # when the move was recorded
    # When the move happened, where that is not when it was recorded: an import of the office's sheet dates the move
    # by the stage's evidence date (noon of that day in the village's zone); null = `at`. The
    # dashboards' trend, projection and "stalled" read `coalesce(happened_at, at)` (`move_time`).
    happened_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    submission = models.ForeignKey(StageSubmission, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.cooperative_id}: {self.kind} {self.from_stage}→{self.to_stage}"
