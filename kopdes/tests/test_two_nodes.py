"""Two app nodes behind a load balancer share everything a user meets: two gunicorn processes on loopback ports,
on the test PostgreSQL database and one shared media folder, behind Debian's haproxy (round robin, no stickiness).

Proved over real HTTP, each step also sent straight to a named node so the test knows which node answered:
- a login through one node carries on through the other (sessions in the database);
- a file uploaded through one node downloads through the other (the shared storage);
- a stage verified through one node shows on the other's dashboard at once (cache in the database, keyed by data);
- failed logins count across both nodes (the throttle's counters in the shared cache).

PostgreSQL only (CI's second suite); in CI a missing haproxy or gunicorn fails the test rather than skipping it.
The whole test takes about 10 s here with the nodes' start (printed at the end; the budget is 3 minutes)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError, URLError
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.conftest import PASER
from kopdes.formation.models import EvidenceFile, StageSubmission
from kopdes.formation.tests.conftest import janju_scheduled, programme  # noqa: F401 (fixtures, reused)
from kopdes.tests.factories import TEST_PASSWORD
from kopdes.tests.nodes import BASE_DIR, process_env
from kopdes.tests.samples import PDF_BYTES

BUDGET_SECONDS = 180
pytestmark = [
    pytest.mark.twonode,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: nodes share one database server"),
    pytest.mark.django_db(transaction=True),  # the nodes are other processes: they see committed rows only
]


def _tools() -> None:
    missing = [tool for tool in ("haproxy",) if shutil.which(tool) is None]
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        missing.append("gunicorn")
    if missing:
        message = f"the two-node test needs {', '.join(missing)} (.ci/run installs haproxy; requirements.txt gunicorn)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is answered as it is, so the test sees where it points


class Browser:
    """A user agent with a cookie jar (cookies for 127.0.0.1 go to every port: the balancer and both nodes)."""

    def __init__(self) -> None:
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def request(self, base: str, path: str, data: bytes | None = None, content_type: str = "") -> Reply:
        request = Request(base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except HTTPError as error:
            return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def get(self, base: str, path: str) -> Reply:
        return self.request(base, path)

    def post(self, base: str, path: str, fields: dict, files: dict | None = None, form: str = "") -> Reply:
        """POST `fields` (multipart, with `files`) with the CSRF token of the page `form` (default: `path`), both
        through `base`."""
        page = self.get(base, form or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, (form or path, page.status)
        fields = {"csrfmiddlewaretoken": token.group(1), **fields}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, kind) in (files or {}).items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(f"{head}Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(base, path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def log_in(self, base: str, username: str, password: str = TEST_PASSWORD) -> Reply:
        return self.post(base, reverse("accounts:login"), {"username": username, "password": password})


def wait_until_up(base: str, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{base} exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if Browser().get(base, reverse("accounts:login")).status == 200:
                return
        except (URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{base} did not answer in time")


HAPROXY = """global
    maxconn 200
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend kopdes
    bind 127.0.0.1:{front}
    default_backend nodes
backend nodes
    balance roundrobin
    http-response set-header X-Kopdes-Node %[srv_name]
    server a 127.0.0.1:{a}
    server b 127.0.0.1:{b}
"""


@dataclass
class Site:
    balancer: str
    nodes: dict[str, str]  # name -> base URL
    started: float  # time.monotonic() before the first node was started


@pytest.fixture
def site(tmp_path):
    _tools()
    started = time.monotonic()
    deadline = started + 90
    media = tmp_path / "shared-media"
    media.mkdir()
    env = process_env(KOPDES_MEDIA_ROOT=str(media), DJANGO_DEBUG="0", DJANGO_SECRET_KEY="twonode-" + "k" * 50)
    ports = {"a": free_port(), "b": free_port()}
    processes = []
    try:
        for name, port in ports.items():
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "kopdes.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--threads",
                        "2",
                        "--name",
                        f"kopdes-{name}",
                    ],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )  # fmt: skip
            )
        nodes = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for process, base in zip(processes, nodes.values(), strict=True):
            wait_until_up(base, process, deadline)
        front = free_port()
        config = tmp_path / "haproxy.cfg"
        config.write_text(HAPROXY.format(front=front, a=ports["a"], b=ports["b"]))
        balancer = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        processes.append(balancer)
        wait_until_up(f"http://127.0.0.1:{front}", balancer, deadline)
        yield Site(balancer=f"http://127.0.0.1:{front}", nodes=nodes, started=started)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def real_passwords(*users: User) -> None:
    """The nodes run the production hashers; the test suite's fast MD5 hashes would not open there."""
    hashed = make_password(TEST_PASSWORD, hasher=PBKDF2PasswordHasher())
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=hashed)


def stage_reached(browser: Browser, base: str, stage: int) -> int:
    """'Reached this stage' for `stage` from the regency dashboard's stage table (CSV), read through `base`."""
    reply = browser.get(base, reverse("dashboards:csv", args=[PASER, "tahap"]))
    assert reply.status == 200, reply.status
    rows = list(csv.reader(io.StringIO(reply.body.decode("utf-8-sig"))))
    return next(int(row[3]) for row in rows[1:] if row and row[0] == str(stage))


def test_two_nodes_behind_a_balancer_share_logins_files_dashboards_and_throttles(
    request, site, operator_janju, admin_dinas, camat_batu_sopang
):
    janju = request.getfixturevalue("janju_scheduled")
    started = time.monotonic()
    real_passwords(operator_janju, admin_dinas, camat_batu_sopang)
    a, b = site.nodes["a"], site.nodes["b"]
    login_page = reverse("accounts:login")

    # the balancer alternates between the two nodes, with no stickiness
    served = [Browser().get(site.balancer, login_page).headers["x-kopdes-node"] for _ in range(4)]
    assert served in (["a", "b", "a", "b"], ["b", "a", "b", "a"])

    # a login through the balancer carries on through both nodes, whichever served it
    office = Browser()
    logged_in = office.log_in(site.balancer, admin_dinas.username)
    assert logged_in.status == 302 and logged_in.headers["location"] == reverse("web:home")
    after = [office.get(site.balancer, reverse("web:home")) for _ in range(2)]
    assert [r.status for r in after] == [200, 200]
    assert {r.headers["x-kopdes-node"] for r in after} == {"a", "b"}
    # and straight at each node: logged in on a, the same session opens b
    village = Browser()
    assert village.log_in(a, operator_janju.username).status == 302
    assert village.get(b, reverse("web:home")).status == 200

    # a file uploaded through node a downloads through node b, byte for byte
    janju.refresh_from_db()
    submitted = village.post(
        a,
        reverse("formation:submit_stage", args=[janju.pk]),
        {
            "version": janju.version,
            "stage": 4,
            "evidence_date": "2025-05-10",
            "evidence_number": "BA/2002/V/2025",
            "note": "Dihadiri 87 warga dan BPD.",
            "sensitivity": "internal",
            "skip_reason": "",
        },
        files={"files": ("Berita Acara Musdesus Janju.pdf", PDF_BYTES, "application/pdf")},
    )
    assert submitted.status == 302, submitted.text[:2000]
    evidence = EvidenceFile.objects.get(cooperative=janju)
    download = office.get(b, reverse("formation:evidence_file", args=[evidence.pk]))
    assert download.status == 200 and download.body == PDF_BYTES

    # a stage verified through node a shows on node b's dashboard at once (b's figures read, i.e. cached, first)
    before = stage_reached(office, b, 4)
    submission = StageSubmission.objects.get(cooperative=janju, stage=4)
    decided = office.post(
        a,
        reverse("formation:decide", args=[janju.pk, submission.pk]),
        {"decision": "verify"},
        form=reverse("formation:verify_item", args=[submission.pk]),
    )
    assert decided.status == 302, decided.text[:2000]
    assert stage_reached(office, b, 4) == before + 1
    assert stage_reached(office, a, 4) == before + 1

    # failed logins count across both nodes: 3 on a and 2 on b lock the account, even for the right password
    guesser = Browser()
    for base in (a, a, a, b, b):
        assert guesser.log_in(base, camat_batu_sopang.username, "salah-tebak").status == 200
    assert guesser.log_in(a, camat_batu_sopang.username).status == 200  # refused: locked, not logged in
    assert guesser.log_in(b, camat_batu_sopang.username).status == 200
    assert guesser.get(a, reverse("web:home")).status == 302  # still at the login page

    now = time.monotonic()
    total, steps = now - site.started, now - started
    print(f"\ntwo-node test: {total:.1f} s with the nodes' start, {steps:.1f} s of requests (budget {BUDGET_SECONDS}s)")
    assert total < BUDGET_SECONDS
