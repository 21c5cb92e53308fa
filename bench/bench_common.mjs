// Shared by the Node benchmark scripts. Credentials, as bench/ltb_auth.py does for the Python ones: the
// ltb_ key in LTB_API_KEY when set, else a login as LTB_ADMIN_USER / LTB_ADMIN_PASSWORD (defaults:
// the server's development-only admin, admin / admin-dev-only). See docs/security.md.
export async function authorization(base) {
  if (process.env.LTB_API_KEY) return `Bearer ${process.env.LTB_API_KEY}`;
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: process.env.LTB_ADMIN_USER || 'admin',
      password: process.env.LTB_ADMIN_PASSWORD || 'admin-dev-only',
    }),
  });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
  return `Bearer ${(await r.json()).accessToken}`;
}

/** The --name value pairs of the command line, as an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
}

/** An event's ISO timestamp (nanoseconds allowed) as epoch milliseconds with a fraction. */
export function epochMs(iso) {
  const m = iso.match(/^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/);
  return Date.parse(m[1] + 'Z') + Number((m[2] || '').padEnd(9, '0')) / 1e6;
}

/** The p-th percentile of an ascending array. */
export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
