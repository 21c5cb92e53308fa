#!/usr/bin/env node
// WebSocket progress of many runs at once: K clients on /ws subscribed to benchmark.* while other
// runs are started (e.g. by bench/many_runs.py --runs 500). Waits until each client has seen
// benchmark.completed for --runs runs (or --timeout-s passes), then checks every one of those runs
// over REST: each client must have seen its benchmark.started (when it started after the client
// connected), a benchmark.progress whose `completed` equals the run's completedItems, and its
// benchmark.completed with the run's final status. Reports event counts, the runs missing anything
// and the delivery latency (event timestamp -> arrival) of progress and completed events.
//
// Prerequisite: a running server and `npm ci --prefix bench`.
// Usage: node bench/ws_runs.mjs [--runs 500] [--clients 10] [--timeout-s 1800] &
//        python3 bench/many_runs.py --runs 500 --cases 20
import WebSocket from 'ws';
import os from 'node:os';
import { authorization, epochMs, parseArgs, pct } from './bench_common.mjs';

const args = parseArgs();
const BASE = process.env.LTB_BASE || 'http://localhost:9080';
const RUNS = Number(args.runs || 500);
const CLIENTS = Number(args.clients || 10);
const TIMEOUT_MS = 1000 * Number(args['timeout-s'] || 1800);
const AUTH = await authorization(BASE);

function connect(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(BASE.replace('http', 'ws') + '/ws', { headers: { Authorization: AUTH } });
    // runs: id -> { started, lastCompleted, completedStatus }
    const c = { ws, runs: new Map(), counts: {}, latencies: { progress: [], completed: [] }, dropped: 0 };
    const run = (id) => c.runs.get(id) || c.runs.set(id, { started: false, last: -1, status: null }).get(id);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'Subscribe', topics: ['benchmark.*'], message_id: String(i) })));
    ws.on('message', (data) => {
      const now = performance.timeOrigin + performance.now();
      const msg = JSON.parse(data);
      if (msg.type === 'Ack') resolve(c);
      else if (msg.type === 'Ping') ws.send('{"type":"Pong"}');
      else if (msg.type === 'Error' && msg.code === 'events_dropped') c.dropped = msg.dropped_total;
      else if (msg.type === 'Event') {
        c.counts[msg.topic] = (c.counts[msg.topic] || 0) + 1;
        const r = run(msg.payload.session_id);
        if (msg.topic === 'benchmark.started') r.started = true;
        else if (msg.topic === 'benchmark.progress') {
          r.last = Math.max(r.last, msg.payload.completed);
          c.latencies.progress.push(now - epochMs(msg.timestamp));
        } else if (msg.topic === 'benchmark.completed') {
          r.status = msg.payload.status;
          c.latencies.completed.push(now - epochMs(msg.timestamp));
        }
      }
    });
    ws.on('error', reject);
  });
}

const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => (s.length ? +pct(s, p).toFixed(1) : null);
  return { n: s.length, p50: q(50), p95: q(95), p99: q(99), max: q(100) };
};

async function main() {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(i)));
  console.error(`${CLIENTS} clients subscribed to benchmark.*; start the runs now`);
  const t0 = Date.now();
  const done = (c) => [...c.runs.values()].filter((r) => r.status).length >= RUNS;
  while (!clients.every(done) && Date.now() - t0 < TIMEOUT_MS) await new Promise((r) => setTimeout(r, 500));
  const ids = [...new Set(clients.flatMap((c) => [...c.runs].filter(([, r]) => r.status).map(([id]) => id)))];
  const problems = [];
  for (const id of ids) {
    const res = await fetch(`${BASE}/api/v1/benchmarks/${id}`, { headers: { Authorization: AUTH } });
    const run = await res.json();
    clients.forEach((c, i) => {
      const r = c.runs.get(id);
      if (!r || !r.status) problems.push(`client ${i}: no benchmark.completed for ${id}`);
      else if (r.status !== run.status) problems.push(`client ${i}: ${id} completed as ${r.status}, REST says ${run.status}`);
      else if (run.status === 'completed' && r.last !== run.completedItems) problems.push(`client ${i}: ${id} last progress ${r.last}, REST ${run.completedItems}`);
      if (r && !r.started && Date.parse(run.startedAt) > t0) problems.push(`client ${i}: no benchmark.started for ${id}`);
    });
  }
  console.log(JSON.stringify({
    clients: CLIENTS,
    runsCompletedSeen: ids.length,
    seconds: (Date.now() - t0) / 1000,
    eventsPerClient: clients[0].counts,
    droppedReported: clients.reduce((a, c) => a + c.dropped, 0),
    problems: problems.length,
    firstProblems: problems.slice(0, 10),
    latencyMs: {
      progress: summary(clients.flatMap((c) => c.latencies.progress)),
      completed: summary(clients.flatMap((c) => c.latencies.completed)),
    },
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  }, null, 2));
  clients.forEach((c) => c.ws.close());
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
