import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PgSqlClient } from '@dap/eventsourcing';
import { createApp, DEV_JWT_SECRET, loadConfig, mintToken } from '@dap/platform';
import { createTestDatabase, freePort, TestClock, type TestDatabase } from '@dap/testing';
import { ConsentModule } from './consent.module.js';

interface Replica {
  app: NestFastifyApplication;
  db: PgSqlClient;
  baseUrl: string;
  dataDir: string;
}

/**
 * Two consent replicas over one PostgreSQL database, as in distributed mode: each has its own
 * connection pool, and the offer-link limits hold across them because the counts are in the database.
 */
describe('two consent replicas over one PostgreSQL database', () => {
  let database: TestDatabase;
  const replicas: Replica[] = [];
  const clock = new TestClock(new Date('2026-11-21T09:00:00.000Z'));

  const startReplica = async (): Promise<Replica> => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'dap-replica-'));
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: baseUrl,
      LOG_LEVEL: 'silent',
      POLL_INTERVAL_MS: '50',
      DATABASE_URL: database.url,
      OFFER_LINK_CALLER_LIMIT: '4',
      OFFER_LINK_FAILURE_LIMIT: '6',
    });
    const db = new PgSqlClient(database.url, { max: 4 });
    const app = await createApp([ConsentModule], { config, db, clock, swaggerUi: false });
    await app.listen({ port, host: '127.0.0.1' });
    return { app, db, baseUrl, dataDir };
  };
  /** A view of an offer link, on replica `n`, as client admin `who`. */
  const attempt = async (n: number, offerId: string, who: string) => {
    const token = await mintToken(DEV_JWT_SECRET, { sub: `admin@${who}`, tid: who, roles: ['client.admin'] });
    const res = await fetch(`${replicas[n].baseUrl}/api/v1/offer-links/${offerId}?code=guess`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.text();
    return res.status;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    replicas.push(await startReplica());
    replicas.push(await startReplica());
  });
  afterAll(async () => {
    for (const r of replicas) {
      await r.app.close();
      await r.db.close();
      rmSync(r.dataDir, { recursive: true, force: true });
    }
    await database?.drop();
  });

  it('limits one caller across both replicas', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(await attempt(i % 2, `00000000-0000-4000-8000-00000000000${i}`, 'c1'));
    // Counted per replica, each would have let all six through (three each, under the limit of four).
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  });

  it('limits the failures at one offer across both replicas, from many callers', async () => {
    const offerId = '11111111-1111-4111-8111-111111111111';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await attempt(i % 2, offerId, `guesser-${i}`));
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429, 429]);
  });
});
