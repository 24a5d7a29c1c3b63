"""Helpers for tests that start other processes (task workers, gunicorn nodes) against the test database."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    """The pytest-django test database as a DATABASE_URL (PostgreSQL only), so another process sees what a
    `transaction=True` test commits."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: this one's, less DJANGO_/KOPDES_/REDIS_ variables, on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOPDES_", "REDIS_"))}
    env.update(DJANGO_SETTINGS_MODULE="kopdes.settings", DATABASE_URL=database_url(), PYTHONUNBUFFERED="1", **extra)
    return env
