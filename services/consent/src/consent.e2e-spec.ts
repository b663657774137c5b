import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@dap/eventsourcing';
import { EventStores } from '@dap/platform';
import { startTestApp, TestClock, type TestApp } from '@dap/testing';
import { hashLinkCode } from './application/link-code.js';
import { ConsentModule } from './consent.module.js';

const T0 = new Date('2026-11-21T09:00:00.000Z');
const client = (n: number) => ({
  name: `Campaign Client ${n}`,
  primaryDomain: `client-${n}.example.cn`,
  address: { line1: '88 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' },
});

/**
 * Offer links over HTTP and how they are rate-limited. The offer service is not wired into this app:
 * its events are appended to the `offer` store directly, as that service would. (The story through
 * the offer API is in services/standalone/src/stories.)
 */
describe('offer links over HTTP', () => {
  let t: TestApp;
  let offers: EventStore;
  const clock = new TestClock(T0);
  const FAILURE_LIMIT = 5;

  /** An offer as the offer service publishes it; returns its id, code and an X-Min-Position header. */
  const publishOffer = async () => {
    const offerId = randomUUID();
    const code = `code-${randomUUID()}`;
    const r = await offers.appendToStream(
      `offer-${offerId}`,
      [
        {
          type: 'OfferCreated',
          data: {
            offerId,
            partnerId: 'partner-a',
            includes: {},
            grantedRoles: ['limited'],
            delegationDuration: null,
            autoExtend: false,
            expiresAt: null,
            codeHash: hashLinkCode(code),
          },
        },
      ],
      0,
      { actor: { id: 'admin@partner-a.example' }, partnerId: 'partner-a' },
    );
    return { offerId, code, after: { 'x-min-position': `offer:${r.globalPosition}` } };
  };
  const clientAdmin = (n: number | string) => t.token(`admin@tenant-${n}`, `tenant-${n}`, ['client.admin']);
  const accept = async (
    offerId: string,
    code: string,
    who: number | string,
    headers: Record<string, string> = {},
  ) =>
    t.request('POST', `/api/v1/offer-links/${offerId}/accept?code=${encodeURIComponent(code)}`, {
      token: await clientAdmin(who),
      body: { client: client(typeof who === 'number' ? who : 0) },
      headers,
    });

  beforeAll(async () => {
    t = await startTestApp([ConsentModule], {
      clock,
      env: { OFFER_LINK_FAILURE_LIMIT: String(FAILURE_LIMIT), OFFER_LINK_FAILURE_WINDOW_SECONDS: '60' },
    });
    offers = await t.app.get(EventStores).open('offer');
  });
  afterAll(async () => t?.close());

  it('lets a campaign of far more than 60 clients accept one offer link, a few mistypes included', async () => {
    const { offerId, code, after } = await publishOffer();
    const statuses: number[] = [];
    const CLIENTS = 150;
    for (let batch = 0; batch < CLIENTS; batch += 10) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => accept(offerId, code, batch + i, after)),
      );
      statuses.push(...results.map((r) => r.status));
      // A client now and then mistypes the code: below the failure limit, nobody else notices.
      if (batch % 40 === 0) expect((await accept(offerId, `${code}x`, `typo-${batch}`)).status).toBe(404);
    }
    expect(statuses).toEqual(Array(CLIENTS).fill(201));
    await t.caughtUp();
    const [{ count }] = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM consent.delegations WHERE offer_id = $1`,
      [offerId],
    );
    expect(count).toBe(CLIENTS);
  });

  it('gives a client that accepts several times at once one delegation: one 201, the others 200 with it', async () => {
    const { offerId, code, after } = await publishOffer();
    const results = await Promise.all(Array.from({ length: 4 }, () => accept(offerId, code, 'eager', after)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.delegationId)).size).toBe(1);
    const granted = await t.db.query(
      `SELECT 1 FROM consent.events WHERE type = 'DelegationGranted' AND data->>'clientId' = 'tenant-eager'`,
    );
    expect(granted).toHaveLength(1);
  });

  it('limits wrong and rotated codes per offer, whoever sends them, until the window ends', async () => {
    const { offerId, code: oldCode } = await publishOffer();
    const newCode = `code-${randomUUID()}`;
    const rotated = await offers.appendToStream(
      `offer-${offerId}`,
      [{ type: 'OfferLinkRotated', data: { offerId, codeHash: hashLinkCode(newCode) } }],
      1,
      { actor: { id: 'admin@partner-a.example' }, partnerId: 'partner-a' },
    );
    const after = { 'x-min-position': `offer:${rotated.globalPosition}` };
    const failures = [
      await accept(offerId, oldCode, 'guesser-1', after),
      await accept(offerId, 'wrong-1', 'guesser-1'),
      await accept(offerId, 'wrong-2', 'guesser-2'),
      await accept(offerId, oldCode, 'guesser-3'),
      await accept(offerId, 'wrong-3', 'guesser-4'),
    ];
    expect(failures.map((r) => r.status)).toEqual(Array(FAILURE_LIMIT).fill(404));

    // The failures are used up: every attempt at this offer waits, the right code too (it tells a guesser nothing).
    const wrong = await accept(offerId, 'wrong-4', 'guesser-5');
    expect(wrong.status).toBe(429);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const right = await accept(offerId, newCode, 'patient-client');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // Other offers are not affected, and the limit lifts when the window ends.
    const other = await publishOffer();
    expect((await accept(other.offerId, other.code, 'other-client', other.after)).status).toBe(201);
    clock.advance(61_000);
    expect((await accept(offerId, newCode, 'patient-client')).status).toBe(201);
  });

  it('rate-limits one caller across offers with 429 and Retry-After', async () => {
    const token = await t.token('guesser@evil.example', 'tenant-evil', ['client.admin']);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const res = await t.request(
        'GET',
        `/api/v1/offer-links/00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}?code=guess${i}`,
        { token },
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
