"""Stage counts kept in the same transaction as every stage move (formation.counts writes them): what the dashboards
read instead of recounting the history (no dashboard has a cold path that grows with the villages below)."""

from __future__ import annotations

from django.db import models


class StageCount(models.Model):
    """Today's figures of one region and stage: active cooperatives with a current member village under the region
    (each once, however many of its villages lie there), those villages, and how many of each wait for verification.
    `region_code` "" is the nation; otherwise a province, kabupaten or kecamatan code."""

    region_code = models.CharField(max_length=20)
    stage = models.PositiveSmallIntegerField()
    cooperatives = models.IntegerField(default=0)
    villages = models.IntegerField(default=0)
    pending = models.IntegerField(default=0)  # cooperatives with a submission waiting for verification
    pending_villages = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "stage"], name="stage_count_key")]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.stage}: {self.cooperatives}"


class StageCountDay(models.Model):
    """Daily deltas of the same figures as they were at the end of each day (the stage history, StageMove
    `move_time`): the sum of the rows up to a date is the figure "per" that date. `day` is the local date in `zone`:
    the region's own zone, and for the provinces also the nation's (settings.TIME_ZONE), which the national
    dashboard's per-province rows are dated in. A move dated in the past writes its delta on its own day, so every
    later day sees it."""

    region_code = models.CharField(max_length=20)
    zone = models.CharField(max_length=40)
    stage = models.PositiveSmallIntegerField()
    day = models.DateField()
    cooperatives = models.IntegerField(default=0)
    villages = models.IntegerField(default=0)
    pending = models.IntegerField(default=0)
    pending_villages = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "zone", "stage", "day"], name="stage_count_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.stage} {self.day}: {self.cooperatives:+d}"


class RegionVersion(models.Model):
    """Bumped with every change of the counts of a region (itself or below it): the dashboards' cache key, so a move
    makes only the dashboards above its village cold."""

    region_code = models.CharField(max_length=20, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.region_code or '*'} v{self.version}"
