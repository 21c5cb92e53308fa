#!/usr/bin/env python3
"""Imports N generated cases into a running server and samples the server JVM's resident memory.

The body is generated while it is sent (HTTP chunked), in the shape bench/foundation.py uses
({"id", "question", "answer"} per JSONL line; the same as CSV rows, or as a Hugging Face JSON
array of rows), so neither this script
nor the server ever needs the whole file at once. VmRSS of the JVM is read from /proc ten times a
second from just before the request until the answer; the peak, the first and last samples and the
elapsed time are printed, with the load average.

Usage:  LTB_BASE=http://localhost:PORT python3 bench/import_scale.py --pid JVM_PID \
            [--cases 100000] [--format jsonl|csv|hf]
"""
import argparse, http.client, json, os, threading, time, urllib.parse
import ltb_auth

from foundation import rss_mb


def body(cases, fmt):
    if fmt == "csv":
        yield b"id,question,answer\n"
    if fmt == "hf":
        yield b"["
    batch = []
    for i in range(cases):
        row = {"id": f"c{i}", "question": f"What is {i} + {i}?", "answer": f"#### {2 * i}"}
        if fmt == "csv":
            batch.append(f'c{i},"What is {i} + {i}?",#### {2 * i}\n')
        elif fmt == "hf":
            batch.append(("," if i else "") + json.dumps(row) + "\n")
        else:
            batch.append(json.dumps(row) + "\n")
        if len(batch) == 1000:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()
    if fmt == "hf":
        yield b"]"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pid", type=int, required=True, help="the server JVM's process id")
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--format", choices=["jsonl", "csv", "hf"], default="jsonl")
    a = ap.parse_args()
    base = urllib.parse.urlparse(os.environ.get("LTB_BASE", "http://localhost:9080"))
    query = urllib.parse.urlencode({
        "format": a.format, "name": f"import-{a.cases}-{int(time.time())}",
        "idField": "id", "expectedField": "answer",
        "promptTemplate": "{{ question }}"})
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_mb(a.pid))
            time.sleep(0.1)

    before = rss_mb(a.pid)
    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=600)
    ctype = {"csv": "text/csv", "hf": "application/json"}.get(a.format, "application/x-ndjson")
    conn.request("POST", "/api/v1/datasets/import?" + query, body=body(a.cases, a.format),
                 headers={"Content-Type": ctype, **ltb_auth.headers(base.geturl().rstrip("/"))},
                 encode_chunked=True)
    r = conn.getresponse()
    answer = json.loads(r.read() or b"null")
    secs = time.monotonic() - t0
    done.set()
    sampler.join()
    samples.append(rss_mb(a.pid))
    assert r.status == 201, (r.status, answer)
    assert answer["testCaseCount"] == a.cases, answer
    print(f"{a.cases} {a.format} cases imported in {secs:.1f} s = {a.cases / secs:.0f} cases/s "
          f"(dataset {answer['id']})")
    print(f"JVM RSS: {before:.0f} MB before, peak {max(samples):.0f} MB, "
          f"last {samples[-1]:.0f} MB ({len(samples)} samples)")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
