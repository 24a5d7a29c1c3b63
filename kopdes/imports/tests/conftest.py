"""Import fixtures: Paser's programme started (every village has its cooperative at stage 0), sheet builders."""

from __future__ import annotations

from kopdes.formation.tests.conftest import programme  # noqa: F401  (the formation fixture, reused)
