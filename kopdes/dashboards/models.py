"""Dashboards keep no tables of their own (region boundaries: kopdes.regions.models.RegionBoundary)."""
