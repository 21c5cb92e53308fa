// Subscribes with the graphql-ws client and prints every message it gets as one JSON line:
//   {"next": <ExecutionResult>} per event, then {"complete": true} or {"error": [...]}.
// Usage: node subscribe.mjs <ws-url> <connection-params-json> <query> [variables-json] [max-events]
// With max-events, it unsubscribes (complete) after that many events.
// The Java test passes the URL and connection params (credentials go there), so nothing here
// knows the server.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, params, query, variables, maxEvents] = process.argv.slice(2);
let events = 0;
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: JSON.parse(params || '{}'),
  retryAttempts: 0,
  lazy: true,
  on: { connected: () => console.log(JSON.stringify({ connected: true })) },
});

const out = (o) => console.log(JSON.stringify(o));
const timer = setTimeout(() => { out({ timeout: true }); process.exit(2); }, 120000);
const unsubscribe = client.subscribe(
  { query, variables: JSON.parse(variables || '{}') },
  {
    next: (data) => {
      out({ next: data });
      events += 1;
      if (maxEvents && events >= Number(maxEvents)) {
        out({ unsubscribed: true });
        clearTimeout(timer);
        unsubscribe();
        client.dispose();
      }
    },
    error: (err) => {
      out({ error: Array.isArray(err) ? err : { message: String(err?.message ?? err), code: err?.code, reason: err?.reason } });
      clearTimeout(timer);
      client.dispose();
    },
    complete: () => {
      out({ complete: true });
      clearTimeout(timer);
      client.dispose();
    },
  },
);
