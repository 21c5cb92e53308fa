#!/usr/bin/env python3
"""Many runs at once: N runs started together on one server share it fairly and all complete.

Creates one dataset, then starts N runs (default 500) at the same time, each against the built-in
simulator provider answering after a fixed latency (default 200 ms, `answer=expected`, one
`contains` assertion), waits until every run has ended and reports:

  - whether every run completed with all its results, and every error seen (failed creations with
    their status and problem type, runs that failed or were cancelled, with their reason);
  - the wall time from the first start request to the last run's end;
  - fairness: when runs completed relative to the wall time (first, median, last completion), how
    many runs had started working before the first one completed, the per-run duration (created ->
    completed; p50/p99/max and Jain's fairness index, 1.0 = every run took as long as every other),
    split into the wait for a slot (created -> started: the server executes
    ltb.benchmark.max-active-runs at once and queues the rest, first come first served) and the
    execution (started -> completed; Jain's index of per-run throughput while executing), and how
    many runs started before a run created earlier;
  - the server JVM's peak RSS and thread count while the runs ran, when its process is readable
    (--pid, or the pid file of --server under target/liberty).

Prerequisite: a running server (see docs/benchmarks.md), e.g. on http://localhost:9080.
Usage:        LTB_BASE=http://localhost:9080 python3 bench/many_runs.py [--runs 500] [--cases 20]
                  [--latency-ms 200] [--concurrency N] [--partitions N] [--server defaultServer]
"""
import argparse, json, os, statistics, threading, time, urllib.error, urllib.request
import ltb_auth
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.environ.get("LTB_BASE", "http://localhost:9080")
TERMINAL = ("completed", "failed", "cancelled")


def http(method, path, body=None, ctype="application/json", timeout=120):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": ctype, **ltb_auth.headers(BASE)})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {"detail": raw.decode(errors="replace")[:200]}


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def server_pid(a):
    if a.pid:
        return a.pid
    f = os.path.join(ROOT, "target", "liberty", "wlp", "usr", "servers", ".pid", a.server + ".pid")
    try:
        with open(f) as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return None


def proc_status(pid):
    """(RSS MB, threads) of a process, or None when it cannot be read."""
    try:
        rss, threads = 0.0, 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        return rss, threads
    except OSError:
        return None


class Sampler(threading.Thread):
    """Samples the server's RSS and threads every half second until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_threads, self.stop = pid, 0.0, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            s = proc_status(self.pid)
            if s:
                self.peak_rss, self.peak_threads = max(self.peak_rss, s[0]), max(self.peak_threads, s[1])
            self.stop.wait(0.5)


def ended(ids, want):
    """Runs among ids that have ended, newest first from the list endpoint (ended runs carry their
    stored summary, so listing them costs the server no result scan)."""
    found = {}
    for status in TERMINAL:
        cursor = None
        for _ in range(want // 500 + 2):
            q = f"/api/v1/benchmarks?status={status}&limit=500" + (f"&cursor={cursor}" if cursor else "")
            code, page = http("GET", q)
            if code != 200:
                break
            for r in page["items"]:
                if r["id"] in ids:
                    found[r["id"]] = r
            cursor = page.get("nextCursor")
            if not cursor or len(found) >= want:
                break
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--cases", type=int, default=20, help="test cases per run (one dataset for all)")
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--concurrency", type=int, help="per run (default: the server's)")
    ap.add_argument("--partitions", type=int, help="per run (default: the server's)")
    ap.add_argument("--senders", type=int, default=64, help="client threads sending the start requests")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds to wait for every run")
    ap.add_argument("--server", default="defaultServer", help="Liberty server name, for its pid file")
    ap.add_argument("--pid", type=int, help="server JVM pid (instead of the pid file)")
    a = ap.parse_args()

    lines = "\n".join(json.dumps({"question": f"What is {i} + {i}?", "answer": str(2 * i)})
                      for i in range(a.cases))
    code, ds = http("POST", f"/api/v1/datasets/import?name=many-runs-{int(time.time())}"
                            "&promptTemplate=%7B%7Bquestion%7D%7D&expectedField=answer",
                    lines, "application/x-ndjson")
    assert code == 201, (code, ds)
    request = {"datasetId": ds["id"], "tags": ["many-runs"],
               "targets": [{"provider": "simulator", "model": "many-runs",
                            "options": {"answer": "expected", "latencyMs": str(a.latency_ms)}}],
               "assertions": [{"type": "equals"}]}
    if a.concurrency:
        request["concurrency"] = a.concurrency
    if a.partitions:
        request["partitions"] = a.partitions

    pid = server_pid(a)
    sampler = Sampler(pid) if pid and proc_status(pid) else None
    if sampler:
        sampler.start()

    barrier = threading.Barrier(min(a.senders, a.runs))

    def start(i):
        if i < barrier.parties:
            barrier.wait()  # the first wave leaves together
        t = time.time()
        code, body = http("POST", "/api/v1/benchmarks", json.dumps(dict(request, name=f"many-runs {i}")))
        return code, body, t, time.time()

    t0 = time.time()
    with ThreadPoolExecutor(a.senders) as pool:
        answers = list(pool.map(start, range(a.runs)))
    sent = time.time()
    created = {b["id"]: b for code, b, _, _ in answers if code == 202}
    creation_errors = [(code, (b or {}).get("type"), (b or {}).get("detail")) for code, b, _, _ in answers
                       if code != 202]
    answer_ms = sorted(1000 * (t1 - ts) for _, _, ts, t1 in answers)
    print(f"{a.runs} start requests sent in {sent - t0:.1f} s with {a.senders} client threads: "
          f"{len(created)} accepted, {len(creation_errors)} refused; answer time median "
          f"{statistics.median(answer_ms):.0f} ms, max {answer_ms[-1]:.0f} ms")
    for e in creation_errors[:10]:
        print("  refused:", e)

    runs, progress = {}, []
    while len(runs) < len(created) and time.time() - t0 < a.timeout:
        time.sleep(2)
        runs = ended(set(created), len(created))
        progress.append((time.time() - t0, len(runs)))
    wall = time.time() - t0
    if sampler:
        sampler.stop.set()
        sampler.join()

    by_status = {}
    for r in runs.values():
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    incomplete = [r for r in runs.values() if r["status"] == "completed"
                  and (r["summary"] or {}).get("completed") != r["totalItems"]]
    overall = [((r["summary"] or {}).get("overall") or {}) for r in runs.values()]
    errors = sum(o.get("errors", 0) for o in overall)
    failed = sum(o.get("failed", 0) for o in overall)
    print(f"ended: {len(runs)}/{len(created)} {by_status}; not ended after {wall:.0f} s: "
          f"{len(created) - len(runs)}")
    for r in [r for r in runs.values() if r["status"] != "completed"][:10]:
        print(f"  {r['status']}: {r['statusReason']}")
    print(f"completed runs missing results: {len(incomplete)}; results with an error: {errors}, "
          f"failing their assertion: {failed}")
    ok = (not creation_errors and len(runs) == a.runs and by_status.get("completed") == a.runs
          and not incomplete and errors == 0 and failed == 0)
    print("ALL COMPLETED WITHOUT ERROR" if ok else "NOT ALL COMPLETED WITHOUT ERROR")

    done = [r for r in runs.values() if r["status"] == "completed"]
    if done:
        ends = sorted(parse(r["completedAt"]) - t0 for r in done)
        durations = [parse(r["completedAt"]) - parse(r["createdAt"]) for r in done]
        jain = sum(durations) ** 2 / (len(durations) * sum(d * d for d in durations))
        first_end = min(parse(r["completedAt"]) for r in done)
        started_before = sum(1 for r in done if r["startedAt"] and parse(r["startedAt"]) < first_end)
        items = sum(r["totalItems"] for r in done)
        print(f"wall time {wall:.1f} s (first start request to last run ended, polled every 2 s); "
              f"{items} results, {items / (ends[-1]):.0f} results/s")
        print(f"completions at {ends[0]:.1f} s (first), {statistics.median(ends):.1f} s (median), "
              f"{ends[-1]:.1f} s (last) = {100 * ends[0] / ends[-1]:.0f}% / "
              f"{100 * statistics.median(ends) / ends[-1]:.0f}% / 100% of the last")
        print(f"runs started before the first completed: {started_before}/{len(done)}")
        print(f"per-run duration (created -> completed): min {min(durations):.1f} s, median "
              f"{statistics.median(durations):.1f} s, p99 {pct(durations, 99):.1f} s, max "
              f"{max(durations):.1f} s; Jain's fairness index {jain:.3f}")
        executing = [parse(r["completedAt"]) - parse(r["startedAt"]) for r in done if r["startedAt"]]
        waiting = [parse(r["startedAt"]) - parse(r["createdAt"]) for r in done if r["startedAt"]]
        throughput = [r["totalItems"] / d for r, d in zip(done, executing) if d > 0]
        jain_exec = sum(throughput) ** 2 / (len(throughput) * sum(x * x for x in throughput))
        print(f"  of which waiting for a slot (created -> started): median "
              f"{statistics.median(waiting):.1f} s, max {max(waiting):.1f} s; executing (started -> "
              f"completed): median {statistics.median(executing):.1f} s, p99 "
              f"{pct(executing, 99):.1f} s, max {max(executing):.1f} s; Jain's index of per-run "
              f"throughput while executing {jain_exec:.3f}")
        order = sorted(done, key=lambda r: parse(r["createdAt"]))
        inversions = sum(1 for a, b in zip(order, order[1:]) if parse(b["startedAt"]) < parse(a["startedAt"]))
        print(f"  runs started out of creation order (neighbours): {inversions}")
    if sampler:
        print(f"server JVM (pid {pid}): peak RSS {sampler.peak_rss:.0f} MB, peak threads {sampler.peak_threads}")
    else:
        print("server JVM not readable here (give --pid or --server)")
    print("load average:", " ".join(open("/proc/loadavg").read().split()[:3]))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
