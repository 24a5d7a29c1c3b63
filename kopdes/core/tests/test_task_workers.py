"""Background tasks run by several workers at once on PostgreSQL, none twice: three `manage.py db_worker` processes
drain one queue of tasks together. The database backend (django-tasks-db) claims a task with
`SELECT … FOR UPDATE SKIP LOCKED` and marks it running in the same transaction, so a task is handed to one worker only.
SQLite has one writer at a time and is not a multi-node set-up: the test runs on PostgreSQL (CI's second suite)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from kopdes.core.tests.worker_tasks import note_run
from kopdes.tests.nodes import BASE_DIR, process_env

TASKS = 120
WORKERS = 3
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: several workers need row locks"),
    pytest.mark.django_db(transaction=True),  # the workers are other processes: they see committed rows only
]


def test_three_workers_run_every_task_exactly_once(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log = tmp_path / "runs.log"
    for number in range(TASKS):
        note_run.enqueue(str(log), number)
    started = time.monotonic()

    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.01",
             "--worker-id", f"werker-{n}"],
            cwd=BASE_DIR, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for n in range(WORKERS)
    ]  # fmt: skip
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0] * WORKERS, outputs
    runs = [line.split() for line in log.read_text().splitlines()]
    counts = Counter(int(number) for number, _pid in runs)
    assert sorted(counts) == list(range(TASKS))
    assert [number for number, times in counts.items() if times > 1] == []  # none twice
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    by_worker = Counter(ids[-1] for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
    # the load was shared: every worker took some (else the test proved nothing about concurrency)
    assert len({pid for _number, pid in runs}) == WORKERS, by_worker
    seconds = time.monotonic() - started
    print(f"\n{TASKS} tasks, {WORKERS} workers, {seconds:.1f} s; per worker {sorted(by_worker.values())}")
