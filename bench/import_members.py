"""The members import (read + validate + warnings + upsert + audit, through `kopdes.imports.services.run_import`)
against a baseline: the same file read with the same reader, then a bare `executemany` of its rows in one
transaction through the same database driver. On SQLite and on PostgreSQL, each in its own process.

Full size: 100,000 members in one .xlsx; --quick: 10,000. PostgreSQL runs with --postgres (database
`kopdes_bench_import_members` on BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432) or when DATABASE_URL
names a PostgreSQL server. Each side is timed three times on an empty members table, the best run counts (a further
import of the same file is timed too: it finds no changes and writes nothing).
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--quick", action="store_true", help="10,000 rows instead of 100,000")
parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
parser.add_argument("--backend", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
parser.add_argument("--file", help=argparse.SUPPRESS)
args = parser.parse_args()
ROWS = 10_000 if args.quick else 100_000


def generate(path: Path, rows: int) -> None:
    """A members file as the template makes it: NIK as text, dates as date cells, money as numbers."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Anggota")
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    headers = ["NIK", "Nama", "Dusun", "RT", "Tanggal Masuk", "Simpanan Pokok", "Simpanan Wajib", "Status"]
    sheet.write_row(0, 0, headers)
    first_day = date(1950, 1, 1)
    for i in range(rows):
        born = first_day + timedelta(days=(i // 9000) * 3 + 1)  # 9,000 serials per birth date: unique NIKs
        dd = born.day + (40 if i % 2 else 0)
        nik = f"640104{dd:02d}{born.month:02d}{born.year % 100:02d}{i % 9000 + 1:04d}"
        r = i + 1
        sheet.write_string(r, 0, nik, text)
        sheet.write_string(r, 1, f"ANGGOTA KOPERASI NOMOR {i} " if i % 10 == 0 else f"Anggota Koperasi {i}")
        sheet.write_string(r, 2, f"Dusun {i % 7 + 1}")
        sheet.write_string(r, 3, f"{i % 20 + 1:03d}")
        sheet.write_datetime(r, 4, date(2025, 5, 1) + timedelta(days=i % 60), day)
        sheet.write_number(r, 5, 100000)
        sheet.write_number(r, 6, 10000 * (i % 12))
        sheet.write_string(r, 7, "Aktif")
    book.close()


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    if args.postgres:
        return (
            os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432") + "/kopdes_bench_import_members"
        )
    return None


def parent() -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kopdes-bench-members-"))
    path = folder / f"anggota-{ROWS}.xlsx"
    started = time.perf_counter()
    generate(path, ROWS)
    print(f"{ROWS} member rows written to {path.name} ({path.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    runs = [("sqlite", None)]
    if url := postgres_url():
        runs.append(("postgres", url))
    failed = False
    for backend, url in runs:
        env = dict(os.environ)
        env.pop("BENCH_DATABASE_URL", None)
        if url:
            import psycopg

            server, name = url.rsplit("/", 1)
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
            env["BENCH_DATABASE_URL"] = url
        command = [sys.executable, str(Path(__file__)), "--backend", backend, "--file", str(path)]
        command += ["--quick"] if args.quick else []
        failed |= subprocess.run(command, env=env).returncode != 0
    sys.exit(1 if failed else 0)


def child() -> None:
    sys.argv = [sys.argv[0], *(["--quick"] if args.quick else [])]
    sys.path.insert(0, str(HERE))
    from _common import setup, table, target

    setup(__doc__)
    from django.conf import settings
    from django.db import connection, transaction

    from kopdes.accounts.roles import Role
    from kopdes.cooperatives.models import Member
    from kopdes.formation import services as formation
    from kopdes.formation.models import Cooperative, Programme
    from kopdes.imports import reader
    from kopdes.imports.models import ImportKind
    from kopdes.imports.plans import MEMBER_COLUMNS
    from kopdes.imports.services import run_import
    from kopdes.regions.importer import import_regions
    from kopdes.regions.models import Region
    from kopdes.tests.factories import make_user

    settings.IMPORT_MAX_BYTES = 10**9
    import_regions(directory=settings.REGION_NPM_DATA_DIR, decree="bench", prefix="64.01")
    admin = make_user("bench.admin", Role.ADMIN_DINAS, "64.01")
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="b", start_date=date(2025, 4, 1))
    formation.start_programme(actor=admin, programme=programme)
    cooperative = Cooperative.objects.get(region_code="64.01.04.2002")
    path = Path(args.file)

    def baseline() -> float:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_baseline")
            cursor.execute(
                "CREATE TABLE bench_baseline (cooperative_id integer, nik varchar(16), name varchar(150), "
                "dusun varchar(100), rt varchar(10), join_date date, simpanan_pokok numeric(14, 2), "
                "simpanan_wajib numeric(14, 2), status varchar(10))"
            )
        start = time.perf_counter()
        data = path.read_bytes()
        found = reader.find_table(data, path.name, MEMBER_COLUMNS, required=[("nik",), ("name",)])
        rows = [(cooperative.pk, *cells[:8]) for _number, cells in found.rows]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany("INSERT INTO bench_baseline VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        return time.perf_counter() - start

    def importer() -> tuple[float, object]:
        start = time.perf_counter()
        result = run_import(
            actor=admin, kind=ImportKind.MEMBERS, data=path.read_bytes(), name=path.name, cooperative=cooperative
        )
        return time.perf_counter() - start, result

    # Best of three runs of each, alternating (the machine may be shared); the members table is emptied between runs.
    base_runs, first_runs = [], []
    for _attempt in range(3):
        Member.objects.filter(cooperative=cooperative).delete()
        base_runs.append(baseline())
        Member.objects.filter(cooperative=cooperative).delete()
        seconds, first = importer()
        first_runs.append(seconds)
    base_seconds, first_seconds = min(base_runs), min(first_runs)
    rerun_seconds, rerun = importer()
    count = Member.objects.filter(cooperative=cooperative).count()
    assert first.applied and first.plan.new_count == ROWS == count, (first.plan.summary()["messages"][:5], count)
    assert not rerun.applied and rerun.plan.unchanged_count == ROWS, "a rerun must change nothing"
    vendor = connection.vendor
    print(f"\n{vendor}: {ROWS} rows")
    table(
        [
            ("baseline: read + bare executemany", ROWS, f"{base_seconds:.2f}", "1.0"),
            (
                "import (validate + commit)",
                first.plan.new_count,
                f"{first_seconds:.2f}",
                f"{first_seconds / base_seconds:.2f}",
            ),
            (
                "import again (no changes)",
                rerun.plan.unchanged_count,
                f"{rerun_seconds:.2f}",
                f"{rerun_seconds / base_seconds:.2f}",
            ),
        ],  # fmt: skip
        ("run", "rows", "seconds", "× baseline"),
    )
    name = "sqlite" if vendor == "sqlite" else "postgres"
    ok = target(f"import_members_{name}", first_seconds / base_seconds, "<=", 3, "x")
    sys.exit(0 if ok else 1)


if args.backend:
    child()
else:
    parent()
