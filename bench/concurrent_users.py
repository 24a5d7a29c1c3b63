"""Many users at once: gunicorn (2 workers) on a loopback port, 50 signed-in users of all seven roles,
about 10 % writes (member edits, profile edits, verify/return of submitted evidence), each user a thread that reads
pages, writes through the real forms (CSRF token, read token) and pauses 0.5–2.5 s between requests.

Three databases in one run, each fresh: SQLite without the office options (the baseline: Django's defaults), SQLite
with them (kopdes/settings.py: WAL, busy timeout, IMMEDIATE transactions) and PostgreSQL (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/kopdes_bench_concurrent — that database is dropped and made again).

Per database: requests/s, p50/p95 latency, errors (5xx, refused connections, any unexpected status), conflicts (a
save from a stale read refused with 409 — the right answer, not an error) and lost writes (a write acknowledged with
2xx/3xx whose value is not in the database at the end: not in the audit log, or not the record's final value).
--quick: 15 s of load per database instead of 40. Not a timed test: run by hand, `python bench/concurrent_users.py`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
USERS = 50
# (role, count): 50 users of the seven roles; the editors write, the others read
CAST = [
    ("operator_desa", 14),
    ("camat", 8),
    ("admin_dinas", 6),
    ("pengurus", 6),
    ("pendamping", 6),
    ("pimpinan", 5),
    ("mitra", 5),
]
EDITORS = {"operator_desa", "camat", "admin_dinas", "pengurus"}
WRITE_SHARE = 0.10
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kopdes_bench_concurrent")


# ---- the child: one database ----------------------------------------------------------------------------------


def fresh_database(url: str, tmp: str) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp}/bench.sqlite3"
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def seed() -> dict:
    """Paser's tree, its programme started, 50 users and what each editor will write to (its own records, so the
    final value of each is known); pengurus share villages with operators (their profile edits may conflict)."""
    from datetime import date

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from kopdes.accounts.roles import Role
    from kopdes.cooperatives import services as registry
    from kopdes.formation import services as formation
    from kopdes.formation.models import Cooperative, Programme
    from kopdes.regions.importer import import_regions
    from kopdes.regions.models import Level, Region
    from kopdes.tests.factories import make_user
    from kopdes.tests.samples import PDF_BYTES  # a real PDF: uploads are opened as PDFs before they are kept

    import_regions(directory=settings.REGION_NPM_DATA_DIR, decree="bench", prefix="64.01")
    paser = Region.objects.get(code="64.01")
    office = make_user("bench.office", Role.ADMIN_DINAS, "64.01")
    formation.start_programme(
        actor=office, programme=Programme.objects.create(region=paser, name="bench", start_date=date(2025, 4, 1))
    )
    villages = list(Region.objects.filter(level=Level.DESA, code__startswith="64.01.").order_by("code"))
    kecamatans = list(Region.objects.filter(level=Level.KECAMATAN, code__startswith="64.01.").order_by("code"))
    users, serial = [], 0
    for role, count in CAST:
        for i in range(count):
            if role in ("operator_desa", "pengurus"):
                region = villages[i * 7 % len(villages)]  # pengurus i sits in operator i's village
            elif role in ("camat", "pendamping"):
                region = kecamatans[i % len(kecamatans)]
            else:
                region = paser
            user = make_user(f"bench.{role}.{i}", role, region.code)
            plan = {"user": user.username, "role": role, "members": [], "submissions": [], "case": None}
            if role in EDITORS:
                if region.level == Level.DESA:
                    code = region.code
                else:  # a village of the user's kecamatan (the office: any of Paser)
                    inside = [v for v in villages if v.code.startswith(f"{region.code}.")]
                    code = inside[(i * 3) % len(inside)].code
                case = Cooperative.objects.get(region_code=code)
                plan["case"] = case.pk
                for _ in range(3):
                    serial += 1
                    nik = f"{code[:2]}{code[3:5]}{code[6:8]}1203{85 + serial // 10000:02d}{serial % 10000:04d}"
                    member = registry.add_member(actor=office, cooperative=case, nik=nik, name=f"Anggota {serial}")
                    plan["members"].append(member.pk)
            if role == "admin_dinas":  # evidence waiting for this officer alone
                for k in range(8):
                    case = Cooperative.objects.get(region_code=villages[(60 + i * 8 + k) % len(villages)].code)
                    pending = formation.submit_stage(
                        actor=office,
                        cooperative=case,
                        version=case.version,
                        stage=1,
                        evidence_date=date(2025, 5, 2),
                        files=[SimpleUploadedFile("foto.pdf", PDF_BYTES, content_type="application/pdf")],
                    )
                    plan["submissions"].append((case.pk, pending.pk))
            client = Client()
            client.force_login(user)
            plan["cookie"] = client.cookies["sessionid"].value
            users.append(plan)
    return {"users": users, "reads": read_paths(villages)}


def read_paths(villages) -> dict:
    from kopdes.formation.models import Cooperative

    cases = list(
        Cooperative.objects.filter(region_code__in=[v.code for v in villages[:20]]).values_list("pk", flat=True)
    )
    every = ["/", "/koperasi/", "/notifikasi/"]
    return {
        "admin_dinas": [*every, "/dasbor/64.01/", "/verifikasi/", "/pengguna/", *[f"/koperasi/{pk}/" for pk in cases]],
        "pimpinan": [*every, "/dasbor/64.01/", *[f"/koperasi/{pk}/profil/" for pk in cases]],
        "mitra": [*every, "/dasbor/64.01/", *[f"/koperasi/{pk}/anggota/" for pk in cases[:5]]],
        "camat": every,
        "operator_desa": every,
        "pendamping": [*every, "/pendampingan/"],
        "pengurus": every,
    }


class Session:
    """One user's browser: its cookies, one keep-alive connection, what it measured."""

    def __init__(self, port: int, plan: dict, out: dict):
        self.port, self.plan, self.out = port, plan, out
        self.cookies = {"sessionid": plan["cookie"]}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException):
            self.conn = None
            status, text = 0, ""
        self.out["latencies"].append((time.perf_counter() - start) * 1000)
        return status, text

    def read(self, path: str) -> None:
        status, _ = self.request("GET", path)
        if status != 200:
            self.out["errors"].append(f"GET {path} {status}")

    def form(self, path: str) -> dict | None:
        status, text = self.request("GET", path)
        if status != 200:
            self.out["errors"].append(f"GET {path} {status}")
            return None
        fields = {}
        for tag in re.findall(r"<input [^>]*>", text):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
            if "name" in attrs and attrs.get("type", "text") not in ("checkbox", "radio", "submit", "file"):
                fields.setdefault(attrs["name"], attrs.get("value", ""))
        for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', text, re.S):
            fields[name] = body
        for name, value in re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected', text, re.S):
            fields[name] = value
        return {k: v.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&") for k, v in fields.items()}

    def post(self, path: str, data: dict, kind: str, key, value) -> None:
        status, _ = self.request("POST", path, data)
        if status in (302, 303, 200):
            self.out["acked"].append((kind, key, value))
        elif status == 409:
            self.out["conflicts"] += 1
        else:
            self.out["errors"].append(f"POST {path} {status}")

    def write(self, n: int) -> None:
        plan, user = self.plan, self.plan["user"]
        if plan["role"] == "admin_dinas" and plan["submissions"]:
            case, submission = plan["submissions"].pop()
            decision = "verify" if n % 2 else "return"
            data = {"decision": decision, "reason": f"Kurang jelas ({user} {n})"}
            page = self.form(f"/koperasi/{case}/")
            if page is None:
                return
            data["csrfmiddlewaretoken"] = page.get("csrfmiddlewaretoken", "")
            self.post(f"/koperasi/{case}/putusan/{submission}/", data, "decide", submission, decision)
        elif n % 3 == 0:
            path = f"/koperasi/{plan['case']}/profil/ubah/"
            page = self.form(path)
            if page is None:
                return
            value = f"Jl. Bench {user} {n}"
            self.post(path, {**page, "address": value}, "profile", plan["case"], value)
        else:
            member = random.choice(plan["members"])
            path = f"/koperasi/{plan['case']}/anggota/{member}/ubah/"
            page = self.form(path)
            if page is None:
                return
            value = f"Anggota {user} {n}"
            self.post(path, {**page, "name": value}, "member", member, value)


def run_user(port: int, plan: dict, reads: list[str], until: float, out: dict, write_chance: float) -> None:
    session, n = Session(port, plan, out), 0
    rng = random.Random(plan["user"])
    while time.perf_counter() < until:
        n += 1
        if plan["role"] in EDITORS and rng.random() < write_chance:
            session.write(n)
        else:
            session.read(rng.choice(reads))
        time.sleep(0.5 + rng.random() * 2)  # an office user reads before the next click


def lost_writes(acked: list) -> tuple[int, int]:
    """(acknowledged writes, those not in the database): each must be in the audit log with its value, and the last
    acknowledged value of each member (written only by its owner, one request at a time) must be the stored one."""
    from kopdes.audit.models import AuditEntry
    from kopdes.cooperatives.models import Member
    from kopdes.formation.models import StageSubmission

    lost, last = 0, {}
    for kind, key, value in acked:
        if kind == "member":
            found = AuditEntry.objects.filter(action="member.update", object_id=str(key), after__name=value).exists()
            last[key] = value
        elif kind == "profile":
            found = AuditEntry.objects.filter(
                action="cooperative.profile_update", object_id=str(key), after__address=value
            ).exists()
        else:
            status = StageSubmission.objects.get(pk=key).status
            found = status == ("verified" if value == "verify" else "returned")
        lost += not found
    for key, value in last.items():
        lost += Member.objects.get(pk=key).name != value
    return len(acked), lost


def child(args) -> None:
    tmp = tempfile.mkdtemp(prefix="kopdes-bench-users-")
    url = fresh_database(args.url, tmp)
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kopdes.settings",
        "DJANGO_DEBUG": "false",
        "KOPDES_MEDIA_ROOT": f"{tmp}/media",
        "KOPDES_SQLITE_TUNED": "1" if args.tuned else "0",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 50 accounts made quickly
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.db import connection

    seeded = seed()
    connection.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "error", "kopdes.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        editors = sum(count for role, count in CAST if role in EDITORS)
        write_chance = WRITE_SHARE * USERS / editors
        out = {"latencies": [], "errors": [], "conflicts": 0, "acked": []}
        began = time.perf_counter()
        until = began + args.seconds
        threads = [
            threading.Thread(
                target=run_user, args=(port, plan, seeded["reads"][plan["role"]], until, out, write_chance)
            )
            for plan in seeded["users"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    writes, lost = lost_writes(out["acked"])
    lat = sorted(out["latencies"])
    print(
        json.dumps(
            {
                "requests": len(lat),
                "rps": len(lat) / seconds,
                "p50": statistics.median(lat) if lat else 0,
                "p95": lat[int(len(lat) * 0.95) - 1] if lat else 0,
                "errors": len(out["errors"]),
                "error_kinds": sorted({re.sub(r"\d+/", "N/", e) for e in out["errors"]})[:5],
                "writes": writes + out["conflicts"] + sum(e.startswith("POST") for e in out["errors"]),
                "acked": writes,
                "conflicts": out["conflicts"],
                "lost": lost,
            }
        )
    )


# ---- the parent: three databases, the table, the targets ------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="15 s of load per database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--tuned", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=40, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    seconds = 15 if args.quick else 40
    runs = [("sqlite baseline (Django defaults)", "sqlite", 0), ("sqlite (WAL, busy timeout, IMMEDIATE)", "sqlite", 1)]
    runs.append(("postgresql", PG_URL, 1))
    results = {}
    for name, url, tuned in runs:
        print(f"… {name}", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--url", url, "--tuned", str(tuned), "--seconds", str(seconds)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{name}: the run failed")
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{USERS} users (7 roles), {WRITE_SHARE:.0%} writes, gunicorn 2 workers on loopback, {seconds} s each\n")
    headers = ("database", "requests", "req/s", "p50 ms", "p95 ms", "writes", "acked", "409 stale", "errors", "lost")
    rows = [
        (
            name,
            r["requests"],
            f"{r['rps']:.1f}",
            f"{r['p50']:.0f}",
            f"{r['p95']:.0f}",
            r["writes"],
            r["acked"],
            r["conflicts"],
            r["errors"],
            r["lost"],
        )
        for name, r in results.items()
    ]
    widths = [max(len(str(h)), *(len(str(row[i])) for row in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    for name, r in results.items():
        if r["error_kinds"]:
            print(f"  {name}: errors such as {', '.join(r['error_kinds'])}")
    print()
    for name, key in (("sqlite", "sqlite (WAL, busy timeout, IMMEDIATE)"), ("postgresql", "postgresql")):
        for label, field in (("errors", "errors"), ("lost writes", "lost")):
            measured = results[key][field]
            verdict = "PASS" if measured == 0 else "MISS"
            print(f"target {name} {label} at {USERS} users: {measured} (goal == 0) {verdict}")


if __name__ == "__main__":
    main()
