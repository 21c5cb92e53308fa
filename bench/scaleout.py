#!/usr/bin/env python3
"""Scale-out: the same run on a dispatcher with 1 executor, then with 2 executors.

Creates Liberty servers from the runtime and application under target/liberty (prepared with
`mvn -DskipTests package liberty:create liberty:deploy`; the server `defaultServer` is the template,
as it/support/ExtraServer does in TwoServerIT), all on free loopback ports:

  - ltbDispatcher: LTB_ROLE=dispatcher with the embedded PostgreSQL (which the executors share);
    it runs each run's job (plan, summarize) and sends the partitions over JMS;
  - ltbExecutor1, ltbExecutor2: LTB_ROLE=executor, each running at most --per-server partitions at
    once (EXECUTOR_MAX_PARTITIONS, the activation spec's maxConcurrency): the per-server limit.

Phase 1 runs --repeat runs of --cases cases against the simulator answering after --latency-ms
(default 200 ms) with --partitions partitions (default 8) of --concurrency calls in flight each,
with executor 1 only. Phase 2 starts executor 2 and runs the same. Throughput = cases / (run
completedAt - startedAt). The provider is latency-bound on purpose: a server then has room for
per-server x concurrency calls every latency, so the ratio measures how the partitions are
distributed over the executors, not this machine's two cores (which the three JVMs share).

Usage: python3 bench/scaleout.py [--cases 2000] [--partitions 8] [--per-server 2]
           [--concurrency 8] [--latency-ms 200] [--repeat 2] [--keep]
"""
import argparse, json, os, shutil, socket, subprocess, sys, time, urllib.error, urllib.request
import ltb_auth
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WLP = os.path.join(ROOT, "target", "liberty", "wlp")
SERVERS = os.path.join(WLP, "usr", "servers")
TEMPLATE = "defaultServer"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(base, method, path, body=None, ctype="application/json", timeout=60):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": ctype, **ltb_auth.headers(base)})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


class Server:
    def __init__(self, name, env):
        self.name, self.port = name, free_port()
        self.base = f"http://localhost:{self.port}"
        d = os.path.join(SERVERS, name)
        shutil.rmtree(d, ignore_errors=True)
        t = os.path.join(SERVERS, TEMPLATE)
        os.makedirs(os.path.join(d, "apps"))
        for f in ("server.xml", "bootstrap.properties", "jvm.options"):
            shutil.copy(os.path.join(t, f), d)
        shutil.copytree(os.path.join(t, "roles"), os.path.join(d, "roles"))
        for f in os.listdir(os.path.join(t, "apps")):
            p = os.path.join(t, "apps", f)
            if os.path.isfile(p):
                shutil.copy(p, os.path.join(d, "apps"))
        env = dict(env, HTTP_PORT=self.port, HTTPS_PORT=free_port(), MALLOC_ARENA_MAX=2)
        with open(os.path.join(d, "server.env"), "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in env.items())
        self.dir = d

    def start(self):
        subprocess.run([os.path.join(WLP, "bin", "server"), "start", self.name], check=True,
                       capture_output=True)

    def stop(self):
        subprocess.run([os.path.join(WLP, "bin", "server"), "stop", self.name], capture_output=True)

    def log(self):
        try:
            with open(os.path.join(self.dir, "logs", "messages.log")) as f:
                return f.read()
        except OSError:
            return ""

    def await_ready(self, timeout=600):
        t0 = time.time()
        while time.time() - t0 < timeout:
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=5) as r:
                    if r.status == 200:
                        return
            except Exception:
                pass
            time.sleep(1)
        sys.exit(f"{self.name} not ready after {timeout} s")

    def await_log(self, text, timeout=600):
        t0 = time.time()
        while text not in self.log():
            if time.time() - t0 > timeout:
                sys.exit(f"{self.name} never logged {text}")
            time.sleep(1)


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def measure(base, dataset, a):
    request = {"datasetId": dataset, "cache": False, "partitions": a.partitions,
               "concurrency": a.concurrency,
               "targets": [{"provider": "simulator", "model": "scaleout",
                            "options": {"answer": "expected", "latencyMs": str(a.latency_ms)}}],
               "assertions": [{"type": "equals"}]}
    code, run = http(base, "POST", "/api/v1/benchmarks", json.dumps(request))
    assert code == 202, (code, run)
    while True:
        time.sleep(1)
        code, run = http(base, "GET", f"/api/v1/benchmarks/{run['id']}")
        if code == 200 and run["status"] in ("completed", "failed", "cancelled"):
            break
    assert run["status"] == "completed" and run["completedItems"] == a.cases, run
    secs = parse(run["completedAt"]) - parse(run["startedAt"])
    code, page = http(base, "GET", f"/api/v1/results?runId={run['id']}&limit=500")
    servers = sorted({r.get("serverId") for r in page["items"]})
    return a.cases / secs, secs, servers


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--per-server", type=int, default=2, help="partitions an executor runs at once")
    ap.add_argument("--concurrency", type=int, default=8, help="calls in flight per partition")
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="leave the servers running")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(SERVERS, TEMPLATE)):
        sys.exit("prepare first: mvn -DskipTests package liberty:create liberty:deploy")

    db, jms = free_port(), free_port()
    shared = {"DB_PORT": db, "JMS_PORT": jms, "LTB_SAMPLES_LOAD": "false",
              "LTB_BENCHMARK_RECOVER_INTERRUPTED_RUNS": "none"}
    dispatcher = Server("ltbDispatcher", dict(shared, LTB_ROLE="dispatcher", DB_EMBEDDED="true",
                                             JMS_SSL_PORT=free_port()))
    executors = [Server(f"ltbExecutor{i}", dict(shared, LTB_ROLE="executor", DB_EMBEDDED="false",
                                                EXECUTOR_MAX_PARTITIONS=a.per_server))
                 for i in (1, 2)]
    started = []
    try:
        dispatcher.start()
        started.append(dispatcher)
        dispatcher.await_ready()
        executors[0].start()
        started.append(executors[0])
        executors[0].await_ready()
        executors[0].await_log("CWSIV0556I")  # connected to the dispatcher's messaging engine

        lines = "\n".join(json.dumps({"question": f"What is {i} + {i}?", "answer": str(2 * i)})
                          for i in range(a.cases))
        code, ds = http(dispatcher.base, "POST", "/api/v1/datasets/import?name=scaleout"
                        "&promptTemplate=%7B%7Bquestion%7D%7D&expectedField=answer",
                        lines, "application/x-ndjson")
        assert code == 201, (code, ds)

        ideal = a.per_server * a.concurrency * 1000 / a.latency_ms
        results = {}
        for n in (1, 2):
            if n == 2:
                executors[1].start()
                started.append(executors[1])
                executors[1].await_ready()
                executors[1].await_log("CWSIV0556I")
            measure(dispatcher.base, ds["id"], a)  # warm-up
            rates = []
            for i in range(a.repeat):
                rate, secs, servers = measure(dispatcher.base, ds["id"], a)
                rates.append(rate)
                print(f"{n} executor(s), run {i + 1}: {a.cases} cases in {secs:.1f} s = {rate:.0f} "
                      f"cases/s (ideal {n * ideal:.0f}); results from {servers}")
            results[n] = max(rates)
        print(f"throughput ratio 2 executors / 1 executor: {results[2] / results[1]:.2f} "
              f"(best runs: {results[2]:.0f} / {results[1]:.0f} cases/s)")
        print("load average:", " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        if not a.keep:
            for s in reversed(started):
                s.stop()


if __name__ == "__main__":
    main()
