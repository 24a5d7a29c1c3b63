"""The region tree, keyed by the official Kemendagri code (a dotted materialised path)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN = 2, _("Regency/City")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Village")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Village (desa)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA_ADAT = "desa_adat", _("Customary village (desa adat)")


class TimeZoneName(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


def subtree_q(code: str, field: str = "code", include_self: bool = True) -> Q:
    """Every code below `code` as an index range: '64.01.' <= c < '64.01/' ('/' sorts right after '.')."""
    q = Q(**{f"{field}__gte": code + ".", f"{field}__lt": code + "/"})
    if include_self:
        q |= Q(**{field: code})
    return q


def is_within(code: str, root: str | None, *, include_self: bool = True) -> bool:
    """Whether the region `code` lies in the subtree of `root` (itself included unless `include_self` is False); a
    root of None is the nation, which holds every code. The one membership test in Python, the twin of `subtree_q`:
    "64.01.04" holds "64.01.04.2002" but not "64.01.041" (codes are compared by their dotted parts, not as text)."""
    if root is None:
        return True
    return (include_self and code == root) or code.startswith(root + ".")


def codes_q(codes: list[str], field: str = "code") -> Q:
    """The union of several subtrees; an empty list matches nothing."""
    q = Q(pk__in=[])
    for code in codes:
        q |= subtree_q(code, field)
    return q


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str, include_self: bool = True) -> RegionQuerySet:
        return self.filter(subtree_q(code, include_self=include_self))

    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)

    def villages(self) -> RegionQuerySet:
        return self.filter(level=Level.DESA)


class RegionEdition(models.Model):
    """One import run: which decree edition and which source file set the tree came from."""

    decree = models.CharField(_("decree"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("region edition")
        verbose_name_plural = _("region editions")

    def __str__(self) -> str:
        return f"{self.decree} ({self.source})"


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Only provinces carry a zone; everything below takes its province's (see `time_zone`).
    tz = models.CharField(_("time zone"), max_length=20, choices=TimeZoneName.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    edition = models.ForeignKey(RegionEdition, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.level == Level.KECAMATAN:
            return f"Kecamatan {self.name}"
        if self.kind == Kind.DESA:
            return f"Desa {self.name}"
        if self.kind == Kind.KELURAHAN:
            return f"Kelurahan {self.name}"
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def time_zone(self) -> str:
        from kopdes.regions.timezones import zone_for_code

        return zone_for_code(self.code)

    def ancestor_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def contains(self, code: str) -> bool:
        return is_within(code, self.code)


class RegionBoundary(models.Model):
    """A region's outline for the maps, loaded from GeoJSON by `manage.py load_boundaries PATH`."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("region"))
    # the GeoJSON geometry as loaded, and a lighter copy (rounded coordinates, repeated points dropped) the map draws
    geojson = models.TextField(_("geometry (GeoJSON)"))
    simplified = models.TextField(_("simplified geometry (GeoJSON)"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        # The table keeps its first name (the model moved here from dashboards without copying a row).
        db_table = "dashboards_regionboundary"
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region_id)


class RegionVillageCount(models.Model):
    """The active villages under a region, per kind of village (desa, kelurahan, desa adat): what the dashboards'
    per-child rows read instead of counting Region rows. `region_code` "" is the nation; otherwise a
    province, kabupaten or kecamatan code. Kept by `kopdes.regions.village_counts`: the region importer recounts in
    its own transaction, a single save of a village (the admin, tests) recounts on `post_save`."""

    region_code = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    villages = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "kind"], name="region_village_count_key")]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.kind}: {self.villages}"
