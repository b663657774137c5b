/**
 * Benchmark (prints figures, asserts nothing): the web console's client list at 100,000 clients,
 * measured in Chromium: from navigation start to the first rendered rows, per list view, and the
 * size of the console bundle (raw and gzip).
 *
 *   npm run build && node tools/dist/bench/console-first-rows.bench.js [--clients 100000] [--runs 5]
 *
 * Starts the built standalone process over a PostgreSQL database of its own (TEST_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test; created and dropped), seeds the client list read
 * table directly (tools/bench/client-list.seed.ts), then opens the console in Debian's Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH) signed in as a partner agent of the seeded partner.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { launchChromium } from '@dap/testing/chromium';
import { PgSqlClient } from '@dap/eventsourcing';
import { DEV_JWT_SECRET, mintToken } from '@dap/platform';
import { seed } from './client-list.seed.js';

const { values: args } = parseArgs({
  options: { clients: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
});
const CLIENTS = Number(args.clients);
const RUNS = Number(args.runs);
const PARTNER = 'bench-partner';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const VIEWS: [string, string][] = [
  ['sorted by name (the default)', '/clients'],
  ['sorted by service health', '/clients?sort=health'],
  ['search=contoso, sort=health', '/clients?search=contoso&sort=health'],
  ['tag=vip, sorted by domain, descending', '/clients?tag=vip&sort=domain&order=desc'],
];

function bundleSizes() {
  const dir = join(ROOT, 'apps', 'console', 'dist', 'assets');
  return readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(sql);
  await client.end();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  console.log(`node ${process.argv.slice(1).join(' ')}`);
  console.log('\n## Console bundle (apps/console/dist/assets)\n');
  console.log('| file | bytes | gzip -9 bytes |');
  console.log('|---|---|---|');
  const sizes = bundleSizes();
  for (const s of sizes) console.log(`| ${s.file} | ${s.raw} | ${s.gzip} |`);
  const total = sizes.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip }), { raw: 0, gzip: 0 });
  console.log(`| total | ${total.raw} | ${total.gzip} |`);

  const name = `dap_console_bench_${Date.now()}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-console-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, 'services', 'standalone', 'dist', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const db = new PgSqlClient(url.toString());
  const browser = await launchChromium();
  try {
    for (let i = 0; i < 600; i++) {
      if (
        (await fetch(`${base}/health/ready`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const t = performance.now();
    await seed(db, PARTNER, CLIENTS, 0);
    await seed(db, 'other-partner', 5000, CLIENTS);
    console.log(`\n## Time to first rows at ${CLIENTS} clients (Chromium ${browser.version()})\n`);
    console.log(
      `seeded ${CLIENTS} clients (+5000 for another partner) in ${Math.round(performance.now() - t)} ms`,
    );

    const token = await mintToken(DEV_JWT_SECRET, {
      sub: 'agent@bench',
      tid: PARTNER,
      roles: ['partner.agent'],
    });
    const session = JSON.stringify({ token, sub: 'agent@bench', tid: PARTNER, roles: ['partner.agent'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Signed in (the token in session storage, as the sign-in form leaves it); the first rendered row timed.
    // Browser-side code as text (this file is type-checked for Node, without the DOM library).
    await context.addInitScript({
      content: `sessionStorage.setItem('dap.session', ${JSON.stringify(session)});
        new MutationObserver((_, observer) => {
          if (document.querySelector('table.clients tbody a.client-name')) {
            window.firstRows = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });`,
    });
    const page = await context.newPage();
    console.log(
      `${RUNS} loads per view, each a full navigation (cache kept: the bundle is cached after the first load)\n`,
    );
    console.log('| view | total | first load ms | median ms | min ms | max ms | API response ms (median) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [label, path] of VIEWS) {
      const times: number[] = [];
      const api: number[] = [];
      let totalText = '';
      for (let run = 0; run < RUNS; run++) {
        await page.goto(`${base}${path}`);
        await page.waitForFunction('window.firstRows !== undefined');
        const m = (await page.evaluate(`(() => {
          const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/clients?'));
          return { firstRows: window.firstRows, api: entry ? entry.responseEnd - entry.requestStart : NaN };
        })()`)) as { firstRows: number; api: number };
        times.push(m.firstRows);
        api.push(m.api);
        totalText = (await page.locator('.total').textContent()) ?? '';
      }
      const r = (x: number) => Math.round(x);
      console.log(
        `| ${label} | ${totalText} | ${r(times[0])} | ${r(median(times))} | ${r(Math.min(...times))} | ${r(Math.max(...times))} | ${r(median(api))} |`,
      );
    }
  } finally {
    await browser.close();
    await db.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
