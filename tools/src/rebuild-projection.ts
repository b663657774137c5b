#!/usr/bin/env node
import 'reflect-metadata';
import { SqlEventStore } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';
import { projections } from './projection-registry.js';
import { rebuildProjection } from './projection-rebuild.js';

/**
 * Drops and rebuilds one read model from the event store.
 *   node tools/dist/rebuild-projection.js client-directory.client-list
 * Uses the same DATABASE_URL / DATA_DIR as the services; stop them first (the embedded store allows
 * one process at a time anyway).
 */
const name = process.argv[2];
if (!name || !projections[name]) {
  console.error(`usage: rebuild-projection <consumer>\nknown: ${Object.keys(projections).join(', ')}`);
  process.exit(2);
}
let config;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
if (config.eventStore !== 'sql') {
  console.error('rebuild-projection reads the sql event store (EVENT_STORE=sql)');
  process.exit(1);
}
const db = await openDatabase(config);
try {
  const projection = await projections[name]();
  const report = await rebuildProjection(db, (source) => new SqlEventStore(db, source), projection, {
    onProgress: (source, position) => process.stderr.write(`\r${name}: ${source} at ${position}   `),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify(report));
} finally {
  await db.close();
}
