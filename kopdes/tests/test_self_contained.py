"""A clone alone runs everything: no code, test, benchmark or Makefile reads a folder beside the project,
and the data the tests and `make run` need are carried in the repository."""

from __future__ import annotations

import os
import re
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings

from kopdes.conftest import CASES, OFFICE_SAMPLE, WILAYAH_PASER

BASE = Path(settings.BASE_DIR)
# a path into the folder kept beside the project (its data or cases), written relative, joined with `/`, or quoted
OUTSIDE = re.compile(r"""\.\./shared/(?:data|cases)|/\s*["']shared["']|["']shared/(?:data|cases)""")
READ_BY = ("*.py", "Makefile", "run", "*.toml", "*.cfg", "*.ini", "*.sh")
NOT_OURS = {".git", ".venv", "node_modules", "staticfiles", "media", "__pycache__", ".ruff_cache", ".pytest_cache"}


def project_files(patterns: tuple[str, ...] = READ_BY) -> list[Path]:
    """The project's files whose names match `patterns` (code and build files by default), walked, not asked of git:
    CI's copy of the checkout has no .git."""
    found = []
    for folder, subfolders, names in os.walk(BASE):  # symbolic links (.venv, node_modules) are not followed
        subfolders[:] = [name for name in subfolders if name not in NOT_OURS]
        found += [Path(folder) / name for name in names if any(fnmatch(name, pattern) for pattern in patterns)]
    return found


def test_no_file_of_the_project_reads_beside_it():
    files = project_files()
    offending = [
        f"{path.relative_to(BASE)}:{number}: {line.strip()}"
        for path in files
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]

    assert BASE / "Makefile" in files and BASE / ".ci" / "run" in files and len(files) > 100
    assert not offending, "reads outside the clone:\n" + "\n".join(offending)


def test_the_pattern_catches_the_ways_a_path_beside_the_project_was_written():
    beside = "shared"  # the examples are built from parts, so the project holds no path beside itself
    for line in (
        f'BASE_DIR.parent / "{beside}" / "data"',
        f"load_boundaries ../{beside}/data/wilayah/paser",
        f"'{beside}/cases/x'",
    ):
        assert OUTSIDE.search(line), line
    for line in ("# shared by the forms and the services", "from docx.shared import Cm", "a shared office PC"):
        assert not OUTSIDE.search(line), line


def test_paser_outlines_travel_with_their_mit_notice():
    assert sorted(p.name for p in WILAYAH_PASER.glob("*.geojson")) == ["desa.geojson", "kecamatan.geojson"]
    notice = (WILAYAH_PASER / "LICENSE-cahyadsn.txt").read_text(encoding="utf-8")
    assert "MIT License" in notice
    assert "Cahya DSN" in notice


def test_every_case_file_of_the_cases_table_is_in_the_fixtures():
    table = (CASES / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"^\| `([^`]+)`", table, flags=re.MULTILINE)

    assert len(named) >= 6
    assert [name for name in named if not (CASES / name).is_file()] == []
    assert OFFICE_SAMPLE.is_file()
