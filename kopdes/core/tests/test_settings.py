"""Production mode refuses to start half-configured, and refuses demo data. Each case starts a fresh Python process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SECRET = "s" * 50
START = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "KOPDES_", "REDIS_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="kopdes.settings",
        # never the developer's database, whatever the command tries
        DATABASE_URL=f"sqlite:///{tmp_path / 'settings-test.sqlite3'}",
        **env,
    )
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"DJANGO_ALLOWED_HOSTS": "kopdes.paserkab.go.id"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short", "DJANGO_ALLOWED_HOSTS": "kopdes.paserkab.go.id"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": SECRET}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "kopdes.paserkab.go.id", "DJANGO_DEBUG": "1"}, "DEBUG"),
    ],
    ids=["no secret key", "short secret key", "no allowed hosts", "blank allowed hosts", "debug on"],
)
def test_production_refuses_to_start_half_configured(tmp_path, env, missing):
    result = run(["-c", START], tmp_path, KOPDES_PRODUCTION="1", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_secret_key_and_allowed_hosts(tmp_path):
    result = run(
        ["-c", START],
        tmp_path,
        KOPDES_PRODUCTION="1",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="kopdes.paserkab.go.id",
    )

    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_development_starts_with_nothing_set(tmp_path):
    result = run(["-c", START], tmp_path)

    assert result.returncode == 0, result.stderr
    assert "DEBUG True" in result.stdout


def test_demo_command_refuses_in_production(tmp_path):
    result = run(
        ["manage.py", "demo"],
        tmp_path,
        KOPDES_PRODUCTION="1",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="kopdes.paserkab.go.id",
    )

    assert result.returncode != 0
    assert "production" in result.stderr
    assert "Demo logins" not in result.stdout


SHOW_BACKENDS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND']); print(settings.STORAGES['default']['BACKEND'])"
)


@pytest.mark.parametrize(
    "env, cache, storage",
    [
        ({}, "django.core.cache.backends.db.DatabaseCache", "django.core.files.storage.FileSystemStorage"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "django.core.cache.backends.redis.RedisCache", None),
        ({"KOPDES_CACHE_URL": "redis://127.0.0.1:6379/2"}, "django.core.cache.backends.redis.RedisCache", None),
        ({"KOPDES_STORAGE": "s3", "KOPDES_S3_BUCKET": "kopdes-berkas"}, None, "storages.backends.s3.S3Storage"),
    ],
    ids=["zero setup", "REDIS_URL", "KOPDES_CACHE_URL", "s3"],
)
def test_cache_and_file_storage_are_chosen_by_environment(tmp_path, env, cache, storage):
    result = run(["-c", SHOW_BACKENDS], tmp_path, **env)

    assert result.returncode == 0, result.stderr
    chosen_cache, chosen_storage = result.stdout.split()
    assert chosen_cache == (cache or "django.core.cache.backends.db.DatabaseCache")
    assert chosen_storage == (storage or "django.core.files.storage.FileSystemStorage")


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KOPDES_STORAGE": "s3"}, "KOPDES_S3_BUCKET"),
        ({"KOPDES_STORAGE": "ftp"}, "KOPDES_STORAGE"),
        ({"KOPDES_CACHE_URL": "memcached://127.0.0.1"}, "KOPDES_CACHE_URL"),
    ],
    ids=["s3 without bucket", "unknown storage", "not redis"],
)
def test_a_half_configured_cache_or_storage_refuses_to_start(tmp_path, env, message):
    result = run(["-c", START], tmp_path, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
