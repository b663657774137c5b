#!/usr/bin/env node
import 'reflect-metadata';
import type { Writable } from 'node:stream';
import { SqlEventStore } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';
import { notRebuildable, projections } from './projection-registry.js';
import { rebuildProjection } from './projection-rebuild.js';

const USAGE = 'usage: rebuild-projection <consumer> | --all | --list';

export interface RebuildToolIo {
  out?: Writable;
  err?: Writable;
  env?: NodeJS.ProcessEnv;
}

/**
 * Drops and rebuilds one read model from the event store, e.g.
 *   node tools/dist/rebuild-projection.js client-directory.client-list
 * With `--all`, rebuilds every one of them in turn (one JSON report a line).
 * With no argument or `--list`, lists the rebuildable consumers (and those it refuses, and why).
 * Uses the same DATABASE_URL / DATA_DIR as the services; stop them first (the embedded store allows
 * one process at a time anyway). Returns the exit code.
 */
export async function main(argv: string[], io: RebuildToolIo = {}): Promise<number> {
  const { out = process.stdout, err = process.stderr, env = process.env } = io;
  const name = argv[0];
  if (name === undefined || name === '--list') {
    out.write(Object.keys(projections).join('\n') + '\n');
    err.write(
      `not rebuildable:\n${Object.entries(notRebuildable)
        .map(([n, why]) => `  ${n}: ${why}\n`)
        .join('')}`,
    );
    if (name === undefined) err.write(`${USAGE}\n`);
    return 0;
  }
  if (notRebuildable[name]) {
    err.write(`rebuild-projection: ${name} is not rebuildable: ${notRebuildable[name]}\n`);
    return 2;
  }
  if (name !== '--all' && !projections[name]) {
    err.write(
      `rebuild-projection: unknown consumer ${name}\n${USAGE}\nknown: ${Object.keys(projections).join(', ')}\n`,
    );
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 1;
  }
  if (config.eventStore !== 'sql') {
    err.write('rebuild-projection reads the sql event store (EVENT_STORE=sql)\n');
    return 1;
  }
  const db = await openDatabase(config);
  try {
    for (const consumer of name === '--all' ? Object.keys(projections) : [name]) {
      const projection = await projections[consumer]();
      const report = await rebuildProjection(db, (source) => new SqlEventStore(db, source), projection, {
        onProgress: (source, position) => err.write(`\r${consumer}: ${source} at ${position}   `),
      });
      err.write('\n');
      out.write(`${JSON.stringify(report)}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      const missing = (error as { code?: string }).code === '42P01';
      const hint = missing ? ' (has the service owning that store run against this database?)' : '';
      console.error(`rebuild-projection: ${(error as Error).message}${hint}`);
      process.exit(1);
    },
  );
}
