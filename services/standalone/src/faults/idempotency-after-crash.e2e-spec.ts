import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, freePort, type TestDatabase } from '@dap/testing';
import { devToken, httpClient, type Reply } from './http-client.js';
import { startStandalone, stopStandalone, type Running } from './standalone-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reproduces, deterministically, what the kill -9 load test counts as `retriesStuckInProgress`: the
 * process claims an Idempotency-Key (a row with no answer yet) before it runs the command, and only
 * a finished or failed command settles the row. Killed in between, the row stays "in progress" for
 * ever: the client's retry is refused 409 on every attempt, although the command never ran. The
 * standalone process runs on a PostgreSQL database here so that the test can hold the offer store
 * locked and kill the process exactly inside that window.
 */
describe('an Idempotency-Key whose first request died with the process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-idem-'));
  const key = { 'idempotency-key': 'create-once-1' };
  const body = { grantedRoles: ['limited'] };
  let t: TestDatabase;
  let running: Running | undefined;
  let offersCreated: number;
  let pending: { status: number | null }[];
  let retries: Reply[];

  beforeAll(async () => {
    t = await createTestDatabase();
    const port = await freePort();
    const request = httpClient(`http://127.0.0.1:${port}`);
    const token = await devToken('admin@partner-i', 'partner-i', ['partner.admin']);
    running = await startStandalone(dataDir, port, { DATABASE_URL: t.url });

    // Hold the offer store: the command claims its key, then waits on its append.
    const lock = new pg.Client({ connectionString: t.url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE offer.events IN ACCESS EXCLUSIVE MODE');
    const first = request('POST', '/api/v1/offers', { token, body, headers: key }).catch(() => undefined);
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await t.db.query(`SELECT 1 FROM platform.idempotency_keys`)).length > 0) break;
      await sleep(50);
    }
    await stopStandalone(running.child, 'SIGKILL');
    expect(await first).toBeUndefined();
    // A backend waiting on a lock does not notice that its client died: the append would still run
    // once the lock goes. End the dead process's waiting session first, so that the command never ran.
    await lock.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    await lock.query('ROLLBACK');
    await lock.end();

    running = await startStandalone(dataDir, port, { DATABASE_URL: t.url });
    offersCreated = (await t.db.query(`SELECT 1 FROM offer.events WHERE type = 'OfferCreated'`)).length;
    pending = await t.db.query(`SELECT status FROM platform.idempotency_keys`);
    retries = [];
    for (const wait of [0, 1500]) {
      await sleep(wait);
      retries.push(await request('POST', '/api/v1/offers', { token, body, headers: key }));
    }
    console.log(
      `retries after the restart: ${JSON.stringify(retries.map((r) => [r.status, r.body?.detail]))}; offers created: ${offersCreated}`,
    );
  }, 120_000);
  afterAll(async () => {
    if (running) await stopStandalone(running.child, 'SIGKILL');
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('died after claiming the key and before running the command', () => {
    expect(offersCreated).toBe(0);
    expect(pending).toEqual([{ status: null }]);
  });

  // KNOWN BUG, reported: both retries answer 409 "still in progress" and always will. Remove
  // `.failing` once the key is settled with the command (e.g. claimed in the append's transaction).
  it.failing('lets the client retry once the process is back', () => {
    expect(retries.map((r) => [r.status, r.body?.detail])).toEqual([
      [201, undefined],
      [201, undefined],
    ]);
  });
});
