#!/usr/bin/env python3
"""GET throughput: GET /api/v1/benchmarks/{id} and a results page of 50, measured with wrk.

Uses a finished run (--run ID, or creates one of --cases cases on the simulator), then runs wrk
(`wrk -t2 -c<connections> -d<seconds>s --latency`) against each URL in turn, after a warm-up of the
same length, and reports requests/s, the latency percentiles wrk prints, and the server's CPU per
request (JVM and PostgreSQL, from /proc). wrk runs on the same machine, so it competes with the
server for the cores; the load average before each measurement is printed.

Prerequisite: wrk (Debian package `wrk`), a started server (see foundation.py; LTB_BASE if not on
              http://localhost:9080) whose rate limit lets one caller through at these rates: start it
              with LTB_RATELIMIT_DEFAULT=10000000/1m (wrk sends every request with one credential, see
              ltb_auth.py; a 429 counts as non-2xx in the output).
Usage:        python3 bench/get_throughput.py [--run ID] [--cases 2000] [--connections 32] [--seconds 15]
"""
import argparse, json, os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ltb_auth  # noqa: E402
from foundation import BASE, cpu_ms, http, jvm_pid, make_dataset, pg_cpu_ms, ready  # noqa: E402


def make_run(cases):
    dataset = make_dataset(cases)
    body = {"datasetId": dataset, "concurrency": 64, "partitions": 2, "cache": False,
            "targets": [{"provider": "simulator", "model": "bench",
                         "options": {"answer": "expected", "accuracy": "0.8", "seed": "1"}}],
            "assertions": [{"type": "numeric-answer"}, {"type": "contains", "value": "####"}]}
    _, created = http("POST", "/api/v1/benchmarks", json.dumps(body))
    while True:
        _, r = http("GET", "/api/v1/benchmarks/" + created["id"])
        if r["status"] in ("completed", "failed", "cancelled"):
            return created["id"]
        time.sleep(1)


def wrk(url, connections, seconds):
    auth = ltb_auth.headers(BASE)["Authorization"]
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", "Authorization: " + auth, url],
                         capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return n, rps, pct, int(errors.group(1)) if errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=15)
    a = ap.parse_args()
    if not ready():
        sys.exit(f"no ready server at {BASE}")
    run = a.run or make_run(a.cases)
    jvm = jvm_pid()
    urls = {"GET /benchmarks/{id}": f"{BASE}/api/v1/benchmarks/{run}",
            "GET /results?runId&limit=50": f"{BASE}/api/v1/results?runId={run}&limit=50"}
    for name, url in urls.items():
        wrk(url, a.connections, a.seconds)  # warm-up
        load = os.getloadavg()
        c0, p0 = cpu_ms(jvm), pg_cpu_ms()
        n, rps, pct, errors = wrk(url, a.connections, a.seconds)
        c1, p1 = cpu_ms(jvm), pg_cpu_ms()
        print(f"{name}: {rps:.0f} requests/s, latency p50 {pct.get('50')} p90 {pct.get('90')} "
              f"p99 {pct.get('99')}, non-2xx {errors}; CPU per request: JVM {(c1 - c0) / n:.2f} ms, "
              f"PostgreSQL {(p1 - p0) / n:.2f} ms; load average before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
