#!/usr/bin/env python3
"""Foundation figures for docs/benchmarks.md, measured against a real server on this machine.

  startup  - starts the created server (bin/server start), times until /health/ready is UP,
             then reports the JVM's and the embedded PostgreSQL's resident memory.
  scale    - one run of N cases (default 100,000; --dataset reuses an imported one) against the
             simulator at 0 ms, sampling the server JVM's resident memory (VmRSS) twice a second
             from run start to end; reports the peak, the first and last samples, and cases/s.
  run      - creates an N-case dataset, runs it against the simulator at 0 ms latency (or, with
             --target openai, against bench/FixedDelayServer.java answering at once over the
             OpenAI protocol, response cache off so every case is a real HTTP call), and reports
             test cases per second (run started -> completed) and server CPU ms per test case
             (JVM and PostgreSQL processes, from /proc, over the whole run).

Prerequisite: mvn -DskipTests package liberty:create liberty:deploy   (once)
Usage:        python3 bench/foundation.py startup
              python3 bench/foundation.py run --cases 2000 [--repeat 3] [--target openai]
              python3 bench/foundation.py scale [--cases 100000] [--dataset ID]
"""
import argparse, json, os, subprocess, sys, time, urllib.request
import ltb_auth
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WLP = os.path.join(ROOT, "target", "liberty", "wlp")
SERVER_DIR = os.path.join(WLP, "usr", "servers", "defaultServer")
BASE = os.environ.get("LTB_BASE", "http://localhost:9080")
TICK = os.sysconf("SC_CLK_TCK")


def http(method, path, body=None, ctype="application/json"):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": ctype, **ltb_auth.headers(BASE)})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read() or b"null")


def ready():
    try:
        with urllib.request.urlopen(BASE + "/health/ready", timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def jvm_pid():
    with open(os.path.join(WLP, "usr", "servers", ".pid", "defaultServer.pid")) as f:
        return int(f.read().strip())


def pg_pids():
    with open(os.path.join(SERVER_DIR, "postgres-data", "postmaster.pid")) as f:
        master = int(f.readline())
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [master] + [int(p) for p in out.split()]


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK  # utime + stime


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pg_cpu_ms():
    total = 0.0
    for p in pg_pids():
        try:
            total += cpu_ms(p)
        except FileNotFoundError:
            pass
    return total


def startup(_):
    server = os.path.join(WLP, "bin", "server")
    subprocess.run([server, "stop", "defaultServer"], capture_output=True)
    t0 = time.monotonic()
    subprocess.run([server, "start", "defaultServer"], check=True, capture_output=True)
    while not ready():
        if time.monotonic() - t0 > 300:
            sys.exit("server not ready after 300 s")
        time.sleep(0.1)
    elapsed = time.monotonic() - t0
    time.sleep(5)  # let start-up settle before reading memory
    pg_rss = sum(rss_mb(p) for p in pg_pids())
    print(f"start to ready: {elapsed:.1f} s")
    print(f"JVM RSS after start: {rss_mb(jvm_pid()):.0f} MB")
    print(f"embedded PostgreSQL RSS after start (all processes, shared pages counted per process): {pg_rss:.0f} MB")


def make_dataset(cases):
    lines = "\n".join(json.dumps({"id": f"c{i}", "question": f"What is {i} + {i}?",
                                  "answer": f"#### {2 * i}"}) for i in range(cases))
    status, d = http("POST", f"/api/v1/datasets/import?name=bench-{cases}-{int(time.time())}"
                             "&promptTemplate=%7B%7Bquestion%7D%7D&expectedField=answer",
                     lines, "application/x-ndjson")
    assert status == 201, d
    return d["id"]


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def run(args):
    if not ready():
        sys.exit(f"no ready server at {BASE}")
    dataset = make_dataset(args.cases)
    jvm = jvm_pid()
    target = {"provider": "simulator", "model": "bench",
              "options": {"answer": "expected", "latencyMs": "0"}}
    fixed = None
    if args.target == "openai":
        from latency import start_server
        fixed, port = start_server(0)
        name = f"overhead-bench-{int(time.time())}"
        http("POST", "/api/v1/providers", json.dumps({
            "name": name, "adapter": "openai", "baseUrl": f"http://127.0.0.1:{port}/v1", "models": ["fixed"]}))
        target = {"provider": name, "model": "fixed"}
    for i in range(args.repeat):
        body = {"datasetId": dataset, "concurrency": args.concurrency, "partitions": args.partitions,
                "cache": False, "targets": [target],
                "assertions": [{"type": "numeric-answer"}, {"type": "contains", "value": "####"},
                               {"type": "regex", "value": "\\d+"}, {"type": "icontains", "value": "#"},
                               {"type": "latency", "threshold": 1000}]}
        c0, p0 = cpu_ms(jvm), pg_cpu_ms()
        _, created = http("POST", "/api/v1/benchmarks", json.dumps(body))
        while True:
            _, r = http("GET", "/api/v1/benchmarks/" + created["id"])
            if r["status"] in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.05)
        c1, p1 = cpu_ms(jvm), pg_cpu_ms()
        assert r["status"] == "completed" and r["completedItems"] == args.cases, r["status"]
        secs = (parse(r["completedAt"]) - parse(r["startedAt"])).total_seconds()
        print(f"run {i + 1}: {args.cases} cases in {secs:.2f} s = {args.cases / secs:.0f} cases/s; "
              f"CPU per case: JVM {(c1 - c0) / args.cases:.2f} ms, PostgreSQL {(p1 - p0) / args.cases:.2f} ms; "
              f"JVM RSS {rss_mb(jvm):.0f} MB")
    if fixed:
        http("DELETE", f"/api/v1/providers/{target['provider']}")
        fixed.terminate()


def scale(args):
    if not ready():
        sys.exit(f"no ready server at {BASE}")
    dataset = args.dataset or make_dataset(args.cases)
    jvm = jvm_pid()
    body = {"datasetId": dataset, "concurrency": args.concurrency, "partitions": args.partitions,
            "cache": False, "targets": [{"provider": "simulator", "model": "bench",
                                         "options": {"answer": "expected", "latencyMs": "0"}}],
            "assertions": [{"type": "numeric-answer"}, {"type": "contains", "value": "####"}]}
    before = rss_mb(jvm)
    _, created = http("POST", "/api/v1/benchmarks", json.dumps(body))
    samples, polls = [], 0
    while True:
        samples.append(rss_mb(jvm))
        polls += 1
        if polls % 4 == 0:
            _, r = http("GET", "/api/v1/benchmarks/" + created["id"])
            if r["status"] in ("completed", "failed", "cancelled"):
                break
        time.sleep(0.5)
    samples.append(rss_mb(jvm))
    assert r["status"] == "completed", r["status"]
    secs = (parse(r["completedAt"]) - parse(r["startedAt"])).total_seconds()
    print(f"{r['completedItems']} cases in {secs:.1f} s = {r['completedItems'] / secs:.0f} cases/s")
    print(f"JVM RSS: {before:.0f} MB before the run, peak {max(samples):.0f} MB, "
          f"last {samples[-1]:.0f} MB ({len(samples)} samples)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("startup").set_defaults(fn=startup)
    r = sub.add_parser("run")
    r.add_argument("--cases", type=int, default=2000)
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument("--concurrency", type=int, default=16)
    r.add_argument("--partitions", type=int, default=2)
    r.add_argument("--target", choices=["simulator", "openai"], default="simulator")
    r.set_defaults(fn=run)
    sc = sub.add_parser("scale")
    sc.add_argument("--cases", type=int, default=100000)
    sc.add_argument("--dataset", help="id of an existing dataset to run instead of importing one")
    sc.add_argument("--concurrency", type=int, default=64)
    sc.add_argument("--partitions", type=int, default=2)
    sc.set_defaults(fn=scale)
    a = ap.parse_args()
    a.fn(a)
