"""The mover of the dashboard benchmarks, run as its own process with its own database connection: verifies pending
stage submissions through the formation service (formation.services.verify_submission: the move, its audit entry,
the kept counts and the region versions in one transaction) at RATE moves a second, in a random order over the tree,
until SIGTERM. Then prints one JSON line: moves done, errors, seconds, the achieved rate.

Usage: DATABASE_URL=… python bench/_mover.py RATE. Prints "ready" once connected and about to start.
"""

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdes.settings")
os.environ["DJANGO_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from kopdes.accounts.models import User  # noqa: E402
from kopdes.formation import services  # noqa: E402
from kopdes.formation.models import StageSubmission  # noqa: E402
from kopdes.formation.workflow import SubmissionStatus  # noqa: E402

rate = float(sys.argv[1])
stop = [False]
signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
actor = User.objects.get(username="bench.admin")
ids = list(StageSubmission.objects.filter(status=SubmissionStatus.PENDING).values_list("id", flat=True))
random.Random(17).shuffle(ids)
print("ready", flush=True)
done = errors = 0
began = time.perf_counter()
for number, sid in enumerate(ids):
    if stop[0]:
        break
    due = began + number / rate
    pause = due - time.perf_counter()
    if pause > 0:
        time.sleep(pause)
    if stop[0]:
        break
    try:
        services.verify_submission(actor=actor, submission=StageSubmission.objects.get(pk=sid), source="bench")
        done += 1
    except Exception as error:  # noqa: BLE001 — counted and reported, the load goes on
        errors += 1
        print(f"mover: {type(error).__name__}: {error}", file=sys.stderr)
else:
    while not stop[0]:  # out of submissions: report the shortfall through the rate
        time.sleep(0.05)
seconds = time.perf_counter() - began
print(json.dumps({"moves": done, "errors": errors, "seconds": seconds, "rate": done / seconds if seconds else 0.0}))
