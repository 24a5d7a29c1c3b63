"""Spreadsheet imports: members of a cooperative and the office's village status sheet.

Every upload is kept as an `ImportBatch`: the file, its checksum and what the preview showed, so the confirm step
applies exactly what was previewed (the file is validated again at confirm; a different result is reported, not
applied)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Members of a cooperative")
    VILLAGE_STATUS = "village_status", _("Village status sheet")
    BUILDINGS = "buildings", _("Building progress sheet")


class BatchStatus(models.TextChoices):
    INVALID = "invalid", _("Has errors")
    PREVIEWED = "previewed", _("Waiting for confirmation")
    NO_CHANGES = "no_changes", _("No changes")
    APPLIED = "applied", _("Imported")


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    # The cooperative of a members import; the region the batch belongs to (for scope): the cooperative's village
    # or the importing office's region.
    cooperative = models.ForeignKey(
        "formation.Cooperative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region_code = models.CharField(max_length=20, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    status = models.CharField(_("status"), max_length=12, choices=BatchStatus.choices)
    # Counts, row messages and the rows to change as shown in the preview (NIKs masked), and the fingerprint of the
    # planned writes: the confirm step applies only when a fresh validation gives the same fingerprint.
    summary = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return self.original_name


class StageLabelDecision(models.Model):
    """What an office decided a stage label of its sheets means: asked once per label in the preview of a
    village status import, then applied to the regency's next imports. `stage` None: rows with the label are left
    out. The label is the cleaner's key (`kopdes.cleaners.stage_labels.label_key`), so "PROSES AKTA" and "proses akta"
    share one decision."""

    regency_code = models.CharField(max_length=20)
    label = models.CharField(_("label"), max_length=200)
    stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency_code", "label"], name="one_decision_per_label")]
        verbose_name = _("stage label decision")
        verbose_name_plural = _("stage label decisions")

    def __str__(self) -> str:
        return f"{self.regency_code}: {self.label} -> {self.stage}"


class ColumnLayout(models.Model):
    """The columns an admin mapped for one sheet layout: the layout's fingerprint (a hash of its
    normalised header texts in order) -> {normalised header text: field of the import kind}. Applied before the
    synonyms to every later file of the same layout, whoever uploads it."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    fingerprint = models.CharField(max_length=64)
    headers = models.JSONField(_("headers"), default=list)  # the header texts as written, for the audit and admins
    mapping = models.JSONField(_("mapping"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "fingerprint"], name="imports_layout_unique")]
        verbose_name = _("column layout")
        verbose_name_plural = _("column layouts")

    def __str__(self) -> str:
        return f"{self.kind} {self.fingerprint[:8]}"
