#!/usr/bin/env node
/**
 * The audit trail from the command line, against the configured store (DATABASE_URL for
 * PostgreSQL, else the embedded server under DATA_DIR: the running standalone's, or started for the run):
 *
 *   node services/consent/dist/cli/audit.js replay [--format ndjson|csv] [--from ISO] [--to ISO]
 *        [--client ID] [--partner ID] [--user ID]
 *   node services/consent/dist/cli/audit.js verify
 *
 * `replay` streams page by page (constant memory). `verify` exits 2 when the chain is broken.
 */
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { PgSqlClient, SqlEventStore, type SqlClient } from '@dap/eventsourcing';
import { startEmbeddedPostgres } from '@dap/platform';
import { CSV_COLUMNS, csvLine, replayAuditTrail } from '../audit/audit-replay.js';
import { verifyAuditChain } from '../audit/audit-verifier.js';

const USAGE = `usage: audit replay [--format ndjson|csv] [--from ISO] [--to ISO] [--client ID] [--partner ID] [--user ID]
       audit verify`;

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

export async function openConfiguredDatabase(env: NodeJS.ProcessEnv = process.env): Promise<SqlClient> {
  if (env.DATABASE_URL) return new PgSqlClient(env.DATABASE_URL, { max: 2 });
  const server = await startEmbeddedPostgres(env.DATA_DIR ?? './data', { share: true });
  return new PgSqlClient(server.url, { max: 2, onClose: () => server.stop() });
}

export interface AuditToolIo {
  out?: Writable;
  err?: Writable;
  env?: NodeJS.ProcessEnv;
  /** An open database to use instead of the configured one (tests); left open. */
  db?: SqlClient;
}

/** Runs the tool; returns the exit code. */
export async function main(argv: string[], io: AuditToolIo = {}): Promise<number> {
  const { out = process.stdout, err = process.stderr, env = process.env } = io;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'ndjson' },
        from: { type: 'string' },
        to: { type: 'string' },
        client: { type: 'string' },
        partner: { type: 'string' },
        user: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    await write(err, `${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (
    values.help ||
    (command !== 'replay' && command !== 'verify') ||
    !['ndjson', 'csv'].includes(values.format!)
  ) {
    await write(err, `${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  for (const key of ['from', 'to'] as const) {
    if (values[key] !== undefined && Number.isNaN(Date.parse(values[key]!))) {
      await write(err, `--${key} must be an ISO-8601 date-time\n`);
      return 64;
    }
  }
  const db = io.db ?? (await openConfiguredDatabase(env));
  try {
    const store = new SqlEventStore(db, 'consent');
    if (command === 'verify') {
      const result = await verifyAuditChain(store, db);
      await write(out, `${JSON.stringify(result)}\n`);
      return result.ok ? 0 : 2;
    }
    const csv = values.format === 'csv';
    if (csv) await write(out, `${CSV_COLUMNS.join(',')}\n`);
    const filter = {
      from: values.from,
      to: values.to,
      client: values.client,
      partner: values.partner,
      user: values.user,
    };
    for await (const event of replayAuditTrail(store, filter)) {
      await write(out, `${csv ? csvLine(event) : JSON.stringify(event)}\n`);
    }
    return 0;
  } finally {
    if (!io.db) await db.close();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  // `audit replay | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      const missing = (error as { code?: string }).code === '42P01';
      console.error(
        `audit: ${missing ? 'no consent audit trail in the configured store (has the consent service run against it?)' : (error as Error).message}`,
      );
      process.exit(1);
    },
  );
}
