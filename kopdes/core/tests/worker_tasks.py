"""A task for test_task_workers: it notes each run in a log file (one line per run, appended atomically)."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def note_run(log: str, number: int) -> int:
    """Append `number pid` to `log` after a short pause (so several workers overlap); returns `number`."""
    time.sleep(0.02)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return number
