#!/usr/bin/env python3
"""Streamed exports of a 100,000-result run (POST /api/v1/results/export), with server memory.

Creates a run of N cases against the simulator at 0 ms (as `foundation.py scale` does; --run reuses
a finished run), then exports its results once in each format, reading the response as it arrives
and discarding it, while sampling the server JVM's resident memory (VmRSS) four times a second.
Reports per format: bytes, seconds, results/s, and RSS before, at its peak and after the export.

Prerequisite: mvn -DskipTests package liberty:create liberty:deploy, server started (see
              foundation.py startup); LTB_BASE if the server is not on http://localhost:9080.
Usage:        python3 bench/export.py [--cases 100000] [--run ID] [--formats csv,json,jsonl,junit,html]
"""
import argparse, json, os, sys, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foundation import BASE, http, jvm_pid, make_dataset, ready, rss_mb  # noqa: E402


def make_run(cases):
    dataset = make_dataset(cases)
    body = {"datasetId": dataset, "concurrency": 64, "partitions": 2, "cache": False,
            "name": f"export-bench-{cases}",
            "targets": [{"provider": "simulator", "model": "bench",
                         "options": {"answer": "expected", "accuracy": "0.8", "seed": "1",
                                     "latencyMs": "0"}}],
            "assertions": [{"type": "numeric-answer"}, {"type": "contains", "value": "####"}]}
    _, created = http("POST", "/api/v1/benchmarks", json.dumps(body))
    while True:
        _, r = http("GET", "/api/v1/benchmarks/" + created["id"])
        if r["status"] in ("completed", "failed", "cancelled"):
            break
        time.sleep(1)
    assert r["status"] == "completed", r
    print(f"run {created['id']}: {r['completedItems']} results")
    return created["id"]


def export(run, fmt, jvm):
    samples, done = [rss_mb(jvm)], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_mb(jvm))
            time.sleep(0.25)

    t = threading.Thread(target=sample, daemon=True)
    before = samples[0]
    t.start()
    req = urllib.request.Request(BASE + "/api/v1/results/export", method="POST",
                                 data=json.dumps({"format": fmt, "runId": run}).encode(),
                                 headers={"Content-Type": "application/json"})
    t0, size, first = time.monotonic(), 0, None
    with urllib.request.urlopen(req, timeout=600) as r:
        assert r.status == 200, r.status
        while True:
            chunk = r.read(1 << 16)
            if not chunk:
                break
            if first is None:
                first = time.monotonic() - t0
            size += len(chunk)
    secs = time.monotonic() - t0
    done.set()
    t.join()
    after = rss_mb(jvm)
    return size, secs, first, before, max(samples + [after]), after


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--run", help="id of a finished run to export instead of creating one")
    ap.add_argument("--formats", default="csv,json,jsonl,junit,html")
    a = ap.parse_args()
    if not ready():
        sys.exit(f"no ready server at {BASE}")
    run = a.run or make_run(a.cases)
    _, r = http("GET", "/api/v1/benchmarks/" + run)
    n = r["completedItems"]
    jvm = jvm_pid()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'format':7} {'MB':>8} {'s':>7} {'results/s':>10} {'1st byte s':>10} "
          f"{'RSS before':>10} {'peak':>6} {'after':>6}")
    for fmt in a.formats.split(","):
        size, secs, first, before, peak, after = export(run, fmt, jvm)
        print(f"{fmt:7} {size / 1e6:8.1f} {secs:7.1f} {n / secs:10.0f} {first:10.2f} "
              f"{before:10.0f} {peak:6.0f} {after:6.0f}")


if __name__ == "__main__":
    main()
