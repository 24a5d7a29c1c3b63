"""Load generator for bench/dashboards_http.py, run as its own process: N threads of http.client on loopback,
bounded by a request count and a time limit. Prints one JSON line: latencies (ms), errors, seconds."""

import http.client
import json
import sys
import threading
import time

host, port, path, cookie, count, limit, threads = sys.argv[1:8]
port, count, limit, threads = int(port), int(count), float(limit), int(threads)
assert host in ("127.0.0.1", "localhost"), "loopback only"
latencies: list[float] = []
errors = [0]
lock = threading.Lock()
issued = [0]
deadline = time.perf_counter() + limit


def worker():
    while True:
        with lock:
            if issued[0] >= count or time.perf_counter() > deadline:
                return
            issued[0] += 1
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, port, timeout=60)
            conn.request("GET", path, headers={"Cookie": cookie} if cookie != "-" else {})
            response = conn.getresponse()
            response.read()
            conn.close()
            ok = response.status == 200
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors[0] += 1


began = time.perf_counter()
pool = [threading.Thread(target=worker) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
print(json.dumps({"latencies": latencies, "errors": errors[0], "seconds": time.perf_counter() - began}))
