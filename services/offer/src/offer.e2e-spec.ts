import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '@dap/testing';
import { OfferModule } from './offer.module.js';

describe('offers over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let otherAdmin: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp([OfferModule]);
    admin = await t.token('alice@partner-a', 'partner-a', ['partner.admin']);
    otherAdmin = await t.token('bob@partner-b', 'partner-b', ['partner.admin']);
    agent = await t.token('carol@partner-a', 'partner-a', ['partner.agent']);
  });
  afterAll(async () => t.close());

  const create = (
    body: unknown = {
      grantedRoles: ['limited'],
      delegationDuration: 'P90D',
      includes: { trial: { productId: 'm365-e3' } },
    },
    headers = {},
  ) => t.request('POST', '/api/v1/offers', { token: admin, body, headers });

  it('creates, lists, gets, sends, rotates and revokes an offer', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'active',
      grantedRoles: ['limited'],
      delegationDuration: 'P90D',
      counts: { sends: 0, acceptances: 0 },
    });
    const id = created.body.id;
    expect(created.body.acceptUrl).toMatch(
      new RegExp(`^${t.baseUrl}/accept/${id}\\?code=[A-Za-z0-9_-]{43}$`),
    );
    expect(created.headers.get('x-event-position')).toMatch(/^offer:\d+$/);
    expect(created.headers.get('etag')).toBe('"1"');

    const list = await t.request('GET', '/api/v1/offers', {
      token: admin,
      headers: { 'x-min-position': created.headers.get('x-event-position')! },
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(id);

    const got = await t.request('GET', `/api/v1/offers/${id}`, { token: admin });
    expect(got.body.acceptUrl).toBe(created.body.acceptUrl);
    expect(got.headers.get('etag')).toBe('"1"');

    const sent = await t.request('POST', `/api/v1/offers/${id}/send`, {
      token: admin,
      body: { recipients: ['admin@client.example'], message: 'Hello' },
    });
    expect(sent.status).toBe(202);
    await t.caughtUp();
    const mails = readdirSync(join(t.dataDir, 'mail')).filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    const eml = readFileSync(join(t.dataDir, 'mail', mails[0]), 'utf8');
    expect(eml).toContain('To: admin@client.example');
    expect(eml.replace(/=\r?\n/g, '')).toContain(created.body.acceptUrl.split('?')[0]);

    const rotated = await t.request('POST', `/api/v1/offers/${id}/rotate-link`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.acceptUrl).not.toBe(created.body.acceptUrl);
    expect(rotated.body.counts.sends).toBe(1);

    const revoked = await t.request('POST', `/api/v1/offers/${id}/revoke`, {
      token: admin,
      body: { reason: 'campaign over' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const again = await t.request('POST', `/api/v1/offers/${id}/revoke`, { token: admin, body: {} });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-event-position')).toBe(revoked.headers.get('x-event-position'));
    const sendRevoked = await t.request('POST', `/api/v1/offers/${id}/send`, {
      token: admin,
      body: { recipients: ['x@y.example'] },
    });
    expect(sendRevoked.status).toBe(409);
  });

  it('never lets the link code reach the store or the events', async () => {
    const created = await create();
    const code = new URL(created.body.acceptUrl).searchParams.get('code')!;
    const rows = await t.db.query<{ data: unknown }>(`SELECT data, metadata FROM offer.events`);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('answers 404 to another partner, as for an unknown offer', async () => {
    const { body } = await create();
    for (const [method, path] of [
      ['GET', `/api/v1/offers/${body.id}`],
      ['POST', `/api/v1/offers/${body.id}/rotate-link`],
      ['POST', `/api/v1/offers/${body.id}/revoke`],
    ]) {
      const res = await t.request(method, path, {
        token: otherAdmin,
        ...(method === 'POST' && { body: {} }),
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (await t.request('GET', '/api/v1/offers/6a1c3c2e-0000-4000-8000-000000000000', { token: admin }))
        .status,
    ).toBe(404);
    const theirs = await t.request('GET', '/api/v1/offers', { token: otherAdmin });
    expect(theirs.body.items.map((o: { id: string }) => o.id)).not.toContain(body.id);
  });

  it('answers 401 without a token or with a bad one, 403 to the wrong role', async () => {
    expect((await t.request('GET', '/api/v1/offers')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/offers', { token: 'not.a.jwt' })).status).toBe(401);
    const forbidden = await t.request('POST', '/api/v1/offers', { token: agent, body: {} });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });

  it('answers 400 naming each bad field, and rejects unknown fields', async () => {
    const bad = await create({
      grantedRoles: ['owner'],
      delegationDuration: 'forever',
      includes: { purchase: { productId: 'x', quantity: 0 } },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['grantedRoles', 'delegationDuration', 'includes.purchase.quantity']),
    );
    const unknown = await create({ grantedRoles: ['limited'], color: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'color', message: 'is not allowed' }]);
    const rule = await create({ grantedRoles: ['full'], delegationDuration: 'P30D', autoExtend: true });
    expect(rule.status).toBe(400);
    expect(rule.body.errors[0].path).toBe('autoExtend');
    const malformed = await t.request('POST', '/api/v1/offers', {
      token: admin,
      rawBody: '{"grantedRoles": [',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const badSend = await t.request('POST', `/api/v1/offers/${(await create()).body.id}/send`, {
      token: admin,
      body: { recipients: ['not-an-email'] },
    });
    expect(badSend.status).toBe(400);
    expect(badSend.body.errors[0].path).toBe('recipients');
  });

  it('answers 400, never 5xx, to values the database cannot hold (NUL characters, bad percent-encoding)', async () => {
    const nulBody = await create({ message: 'a\u0000b' });
    expect(nulBody.status).toBe(400);
    expect(nulBody.body.errors).toEqual([{ path: 'message', message: 'must not contain NUL characters' }]);
    expect((await t.request('GET', '/api/v1/offers?cursor=%00', { token: admin })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/offers/%E0%A4%A', { token: admin })).status).toBe(400);
  });

  it('answers 413 to a body over 256 KiB and records nothing', async () => {
    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer.events`);
    const res = await create({ message: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM offer.events`)).toEqual(before);
  });

  it('replays the first answer for a reused Idempotency-Key, and refuses it with another body', async () => {
    const first = await create({ grantedRoles: ['limited'] }, { 'idempotency-key': 'k-1' });
    const second = await create({ grantedRoles: ['limited'] }, { 'idempotency-key': 'k-1' });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('x-event-position')).toBe(first.headers.get('x-event-position'));
    const other = await create({ grantedRoles: ['full'] }, { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(422);
    const count = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM offer.events WHERE type = 'OfferCreated' AND stream_id = $1`,
      [`offer-${first.body.id}`],
    );
    expect(count[0].n).toBe(1);
  });

  it('answers 412 to a stale If-Match', async () => {
    const { body, headers } = await create();
    const etag = headers.get('etag')!;
    const ok = await t.request('POST', `/api/v1/offers/${body.id}/rotate-link`, {
      token: admin,
      headers: { 'if-match': etag },
    });
    expect(ok.status).toBe(200);
    const stale = await t.request('POST', `/api/v1/offers/${body.id}/rotate-link`, {
      token: admin,
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(
      (
        await t.request('POST', `/api/v1/offers/${body.id}/rotate-link`, {
          token: admin,
          headers: { 'if-match': 'garbage' },
        })
      ).status,
    ).toBe(400);
  });

  it('gives read-your-writes with X-Min-Position, ignores stores it does not follow, rejects a malformed token', async () => {
    const { body } = await create();
    const sent = await t.request('POST', `/api/v1/offers/${body.id}/send`, {
      token: admin,
      body: { recipients: ['a@b.example', 'c@d.example'] },
    });
    const read = await t.request('GET', `/api/v1/offers/${body.id}`, {
      token: admin,
      headers: { 'x-min-position': `${sent.headers.get('x-event-position')},health:999999` },
    });
    expect(read.status).toBe(200);
    expect(read.body.counts).toMatchObject({ sends: 1, recipients: 2 });
    expect(
      (
        await t.request('GET', `/api/v1/offers/${body.id}`, {
          token: admin,
          headers: { 'x-min-position': 'offer;12' },
        })
      ).status,
    ).toBe(400);
  });

  it('serves the operations endpoints without a token', async () => {
    expect((await t.request('GET', '/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    const metrics = await t.request('GET', '/metrics');
    expect(metrics.body).toContain('http_request_duration_seconds');
    expect(metrics.body).not.toMatch(/code=/);
    const docs = await t.request('GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/api/v1/offers');
  });
});
