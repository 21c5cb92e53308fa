#!/usr/bin/env node
// WebSocket fan-out: N clients on /ws subscribed to one run; how long each test.completed event
// takes from being published (its timestamp, set when the result's chunk has committed) to reaching
// each client. Reports p50/p95/p99/max over every (event, client) pair, deliveries and drops.
//
// Prerequisite: a running server (mvn liberty:run) and `npm ci --prefix bench`; raise the open files
// limit for many clients (ulimit -n 4096).
// Usage: node bench/ws_fanout.mjs [--clients 1000] [--cases 500] [--concurrency 8] [--latency-ms 20]
import WebSocket from 'ws';
import os from 'node:os';
import { authorization, epochMs, parseArgs, pct } from './bench_common.mjs';

const args = parseArgs();
const BASE = process.env.LTB_BASE || 'http://localhost:9080';
const CLIENTS = Number(args.clients || 1000);
const CASES = Number(args.cases || 500);
const CONCURRENCY = Number(args.concurrency || 8);
const LATENCY_MS = Number(args['latency-ms'] || 20);
const AUTH = await authorization(BASE);

async function http(method, path, body) {
  const r = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: AUTH },
    body: body && JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function connect(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(BASE.replace('http', 'ws') + '/ws', { headers: { Authorization: AUTH } });
    const c = { ws, latencies: [], events: 0, dropped: 0, completed: false };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'Subscribe', topics: ['test.completed', 'benchmark.completed'], message_id: String(i) })));
    ws.on('message', (data) => {
      const now = performance.timeOrigin + performance.now();
      const msg = JSON.parse(data);
      if (msg.type === 'Ack') resolve(c);
      else if (msg.type === 'Ping') ws.send('{"type":"Pong"}');
      else if (msg.type === 'Error' && msg.code === 'events_dropped') c.dropped = msg.dropped_total;
      else if (msg.type === 'Event' && msg.payload.session_id === c.run) {
        if (msg.topic === 'test.completed') {
          c.events += 1;
          c.latencies.push(now - epochMs(msg.timestamp));
        } else c.completed = true;
      }
    });
    ws.on('error', reject);
  });
}

async function main() {
  const testCases = Array.from({ length: CASES }, (_, i) => ({ id: `c${i}`, vars: { q: `question ${i}` }, expected: `question ${i}` }));
  const ds = await http('POST', '/api/v1/datasets', { name: `ws-fanout-${Date.now()}`, promptTemplate: '{{q}}', testCases });
  const clients = [];
  for (let i = 0; i < CLIENTS; i += 50) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => connect(i + j)))));
  }
  const run = await http('POST', '/api/v1/benchmarks', {
    name: 'ws-fanout', datasetId: ds.id, partitions: 1, cache: false, concurrency: CONCURRENCY,
    targets: [{ provider: 'simulator', model: 'oracle', options: { latencyMs: String(LATENCY_MS) } }],
  });
  clients.forEach((c) => { c.run = run.id; });
  const started = Date.now();
  while (clients.some((c) => !c.completed) && Date.now() - started < 600000) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const all = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const result = {
    clients: CLIENTS,
    cases: CASES,
    runSeconds: (Date.now() - started) / 1000,
    deliveries: all.length,
    expected: CLIENTS * CASES,
    droppedReported: clients.reduce((a, c) => a + c.dropped, 0),
    clientsCompleted: clients.filter((c) => c.completed).length,
    latencyMs: {
      p50: +pct(all, 50).toFixed(2), p95: +pct(all, 95).toFixed(2),
      p99: +pct(all, 99).toFixed(2), max: +all[all.length - 1].toFixed(2),
    },
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  };
  console.log(JSON.stringify(result, null, 2));
  clients.forEach((c) => c.ws.close());
}

main().catch((e) => { console.error(e); process.exit(1); });
