/**
 * Benchmark (prints figures, asserts nothing): the audit replay tool on a seeded consent trail. For
 * each size and engine it seeds a fresh store (`audit-replay.seed.ts`), then runs the built CLI as a
 * child process under `/usr/bin/time -v` for `replay --format ndjson`, `replay --format csv`,
 * `replay --client X` (output to /dev/null) and `verify`, and prints wall time, peak RSS and events/s.
 * Two sizes (10,000 and 100,000 by default) show whether memory grows with the number of events.
 *
 *   npm run build && node tools/dist/bench/audit-replay.bench.js [--events 10000,100000] [--engines postgres,embedded]
 *
 * PostgreSQL: AUDIT_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/audit_bench), created
 * for each size and dropped afterwards. Embedded: a server in a temporary DATA_DIR, removed afterwards.
 * Needs GNU time (`apt-get install -y time`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PgSqlClient, type SqlClient } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';
import { clientIdOf, createDatabaseIfMissing, dropDatabase, seedAuditTrail } from './audit-replay.seed.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000,100000' },
    engines: { type: 'string', default: 'postgres,embedded' },
  },
});
const SIZES = String(args.events).split(',').map(Number);
const ENGINES = String(args.engines)
  .split(',')
  .map((e) => e.trim());
const DATABASE_URL = process.env.AUDIT_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/audit_bench';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'services/consent/dist/cli/audit.js');
const CLIENT = clientIdOf(42);

interface Measure {
  wallMs: number;
  maxRssKb: number;
  cpuSeconds: number;
  exitCode: number;
  stdout: string;
}

/** Runs the CLI under GNU time; stdout goes to /dev/null unless `capture`. */
function measure(cliArgs: string[], env: NodeJS.ProcessEnv, capture = false): Promise<Measure> {
  const report = join(tmpdir(), `audit-bench-time-${process.pid}.txt`);
  const devNull = capture ? undefined : openSync('/dev/null', 'w');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-v', '-o', report, process.execPath, CLI, ...cliArgs], {
    env,
    stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) process.stderr.write(stderr);
      if (devNull !== undefined) closeSync(devNull);
      const text = readFileSync(report, 'utf8');
      rmSync(report, { force: true });
      const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
      done({
        wallMs,
        maxRssKb: field('Maximum resident set size \\(kbytes\\)'),
        cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
        exitCode: code ?? -1,
        stdout: stdout.trim(),
      });
    });
  });
}

/** Label, arguments, whether stdout is kept (verify prints one line), V8 heap cap in MB. */
const COMMANDS: [string, string[], boolean, number?][] = [
  ['--help (start-up baseline, no query)', ['--help'], false],
  ['replay --format ndjson', ['replay', '--format', 'ndjson'], false],
  ['replay --format csv', ['replay', '--format', 'csv'], false],
  [`replay --client ${CLIENT}`, ['replay', '--client', CLIENT], false],
  ['verify', ['verify'], true],
  // A trail held in memory would not fit: 100,000 events are ~100 MB of JSON.
  ['replay --format csv, V8 heap capped at 32 MB', ['replay', '--format', 'csv'], false, 32],
];

interface Row {
  engine: string;
  events: number;
  command: string;
  matched: number;
  m: Measure;
}
const rows: Row[] = [];
/** Events read from the store per second of wall time (the filtered replay reads them all too). */
const rate = (label: string, events: number, m: Measure) =>
  label.startsWith('--help') ? '-' : String(Math.round(events / (m.wallMs / 1000)));

async function run(engine: string, events: number) {
  const dataDir = engine === 'embedded' ? mkdtempSync(join(tmpdir(), 'audit-bench-')) : undefined;
  let db: SqlClient | undefined;
  if (engine === 'postgres') {
    await dropDatabase(DATABASE_URL);
    await createDatabaseIfMissing(DATABASE_URL);
    db = new PgSqlClient(DATABASE_URL, { max: 2 });
  } else {
    db = await openDatabase(loadConfig({ DATA_DIR: dataDir! }));
  }
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (engine === 'postgres') env.DATABASE_URL = DATABASE_URL;
  else env.DATA_DIR = dataDir;
  try {
    console.log(`\n## ${engine}, ${events} events: seeding`);
    const seeded = await seedAuditTrail(db, { events, log: (line) => console.log(line) });
    const [client] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent.audit_chain WHERE client_id = $1`,
      [CLIENT],
    );
    await db.close();
    db = undefined;
    console.log(
      `seeded ${seeded.events} events (${Object.entries(seeded.counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}) in ${seeded.appends} appends, ${(seeded.seedMs / 1000).toFixed(1)} s; ` +
        `chain of ${seeded.chained} links in ${(seeded.chainMs / 1000).toFixed(1)} s`,
    );
    for (const [label, cliArgs, capture, heapMb] of COMMANDS) {
      const m = await measure(
        cliArgs,
        heapMb ? { ...env, NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : env,
        capture,
      );
      const matched = label.startsWith('--help')
        ? 0
        : label.startsWith('replay --client')
          ? client.n
          : seeded.events;
      rows.push({ engine, events, command: label, matched, m });
      console.log(
        `${label}: ${(m.wallMs / 1000).toFixed(2)} s, max RSS ${(m.maxRssKb / 1024).toFixed(1)} MB, ` +
          `${rate(label, events, m)} events/s, exit ${m.exitCode}${m.stdout ? ` ${m.stdout}` : ''}`,
      );
    }
  } finally {
    await db?.close();
    if (engine === 'postgres') await dropDatabase(DATABASE_URL);
    else rmSync(dataDir!, { recursive: true, force: true });
  }
}

console.log(`node ${process.argv.slice(1).join(' ')}`);
for (const engine of ENGINES) for (const events of SIZES) await run(engine, events);

console.log('\n| engine | events | command | rows out | wall s | CPU s | max RSS MB | events/s | exit |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.engine} | ${r.events} | \`${r.command}\` | ${r.matched} | ${(r.m.wallMs / 1000).toFixed(2)} | ${r.m.cpuSeconds.toFixed(2)} | ` +
      `${(r.m.maxRssKb / 1024).toFixed(1)} | ${rate(r.command, r.events, r.m)} | ${r.m.exitCode} |`,
  );
}
