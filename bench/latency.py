#!/usr/bin/env python3
"""Latency accuracy: how close the recorded latency is to a provider's true latency under load.

Starts a loopback HTTP server speaking the OpenAI chat-completions protocol that answers every
request after a fixed delay (default 100 ms; bench/FixedDelayServer.java, the JDK's HTTP server
with answers scheduled rather than slept), registers it as a provider on a running LLM Test Bench
server, runs N cases at the given concurrency, and reports the recorded latency's median, p95 and
p99 (from GET /api/v1/results) against the fixed delay, plus throughput against the ideal
(concurrency / delay).

Prerequisite: a running server (mvn liberty:run, or bench/foundation.py's setup + server start).
Usage:        python3 bench/latency.py [--cases 2000] [--concurrency 50] [--delay-ms 100]
"""
import argparse, json, os, statistics, subprocess, time, urllib.request
import ltb_auth
from datetime import datetime

BASE = os.environ.get("LTB_BASE", "http://localhost:9080")


def start_server(delay_ms):
    """Starts bench/FixedDelayServer.java (the JDK's HTTP server, responses scheduled, not slept)."""
    here = os.path.dirname(os.path.abspath(__file__))
    proc = subprocess.Popen(["java", "-Dsun.net.httpserver.nodelay=true",
                             os.path.join(here, "FixedDelayServer.java"), str(delay_ms)],
                            stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline())


def http(method, path, body=None, ctype="application/json"):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": ctype, **ltb_auth.headers(BASE)})
    with urllib.request.urlopen(req, timeout=60) as r:
        raw = r.read()
        return r.status, json.loads(raw) if raw else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--delay-ms", type=float, default=100)
    a = ap.parse_args()

    server, port = start_server(a.delay_ms)

    name = f"latency-bench-{int(time.time())}"
    http("POST", "/api/v1/providers", json.dumps({
        "name": name, "adapter": "openai", "baseUrl": f"http://127.0.0.1:{port}/v1", "models": ["fixed"]}))
    lines = "\n".join(json.dumps({"q": f"q{i}"}) for i in range(a.cases))
    _, ds = http("POST", f"/api/v1/datasets/import?name={name}&promptTemplate=%7B%7Bq%7D%7D",
                 lines, "application/x-ndjson")
    _, run = http("POST", "/api/v1/benchmarks", json.dumps({
        "datasetId": ds["id"], "concurrency": a.concurrency, "partitions": 1,
        "targets": [{"provider": name, "model": "fixed"}]}))
    while True:
        _, r = http("GET", "/api/v1/benchmarks/" + run["id"])
        if r["status"] in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert r["status"] == "completed", r

    latencies, cursor = [], None
    while True:
        q = f"/api/v1/results?runId={run['id']}&limit=1000" + (f"&cursor={cursor}" if cursor else "")
        _, page = http("GET", q)
        latencies += [x["latencyMs"] for x in page["items"] if x["status"] in ("success", "failure")]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    latencies.sort()
    med = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    secs = (datetime.fromisoformat(r["completedAt"].replace("Z", "+00:00"))
            - datetime.fromisoformat(r["startedAt"].replace("Z", "+00:00"))).total_seconds()
    ideal = a.concurrency / (a.delay_ms / 1000)
    print(f"{len(latencies)} answered calls, provider delay {a.delay_ms:.0f} ms, concurrency {a.concurrency}")
    print(f"recorded latency: median {med:.1f} ms ({100 * (med - a.delay_ms) / a.delay_ms:+.1f}%), "
          f"p95 {p95:.1f} ms, p99 {p99:.1f} ms")
    print(f"throughput: {a.cases / secs:.0f} cases/s = {100 * a.cases / secs / ideal:.0f}% of the ideal {ideal:.0f}/s")
    http("DELETE", f"/api/v1/providers/{name}")
    server.terminate()


if __name__ == "__main__":
    main()
