import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditTool, ConsentModule } from '@dap/consent';
import { OfferModule } from '@dap/offer';
import { startTestApp, TestClock, type TestApp } from '@dap/testing';

const T0 = new Date('2026-11-21T09:00:00.000Z');
const minute = 60_000;
const client = {
  name: 'Contoso China',
  primaryDomain: 'contoso.partner.onmschina.cn',
  address: { line1: '88 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' },
};

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** Offer and consent together: the partner's offer, the client's acceptance, roles, decisions, audit. */
describe('consent over HTTP: the whole delegated-administration story', () => {
  let t: TestApp;
  const clock = new TestClock(T0);
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ token: tokens[who] });

  beforeAll(async () => {
    // The embedded store, as `npm start` runs it.
    t = await startTestApp([OfferModule, ConsentModule], { clock });
    tokens.partnerAdmin = await t.token('admin@partner-a.example', 'partner-a', ['partner.admin']);
    tokens.userA = await t.token('alice@partner-a.example', 'partner-a', ['partner.agent']);
    tokens.otherPartner = await t.token('admin@partner-b.example', 'partner-b', ['partner.admin']);
    tokens.clientAdmin = await t.token('admin@contoso.example', 'tenant-contoso', ['client.admin']);
    tokens.otherClient = await t.token('admin@fabrikam.example', 'tenant-fabrikam', ['client.admin']);
    tokens.auditor = await t.token('auditor@platform', 'platform', ['platform.auditor']);
  });
  afterAll(async () => t?.close());

  const decide = (userId: string, action: string, clientId = 'tenant-contoso') =>
    t.request(
      'GET',
      `/api/v1/access-decisions?userId=${encodeURIComponent(userId)}&clientId=${clientId}&action=${action}`,
      as('partnerAdmin'),
    );

  it('offers, accepts, assigns roles, decides, revokes and audits', async () => {
    // The partner admin creates and sends an offer.
    const offer = await t.request('POST', '/api/v1/offers', {
      ...as('partnerAdmin'),
      body: { grantedRoles: ['full', 'limited'], delegationDuration: 'P90D' },
    });
    expect(offer.status).toBe(201);
    const sent = await t.request('POST', `/api/v1/offers/${offer.body.id}/send`, {
      ...as('partnerAdmin'),
      body: { recipients: ['admin@contoso.example'] },
    });
    expect(sent.status).toBe(202);
    const code = new URL(offer.body.acceptUrl).searchParams.get('code')!;
    const link = `/api/v1/offer-links/${offer.body.id}`;
    const after = { 'x-min-position': sent.headers.get('x-event-position')! };

    // The client admin views and accepts it; a wrong code is 404, a partner is 403.
    const view = await t.request('GET', `${link}?code=${code}`, { ...as('clientAdmin'), headers: after });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      offerId: offer.body.id,
      partner: { id: 'partner-a' },
      grantedRoles: ['full', 'limited'],
      delegationDuration: 'P90D',
    });
    expect((await t.request('GET', `${link}?code=wrong${code}`, as('clientAdmin'))).status).toBe(404);
    expect((await t.request('GET', `${link}?code=${code}`, as('partnerAdmin'))).status).toBe(403);
    const accepted = await t.request('POST', `${link}/accept?code=${code}`, {
      ...as('clientAdmin'),
      body: { client },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      status: 'active',
      partnerId: 'partner-a',
      clientId: 'tenant-contoso',
      grantedRoles: ['full', 'limited'],
      expiresAt: '2027-02-19T09:00:00.000Z',
    });
    expect(accepted.headers.get('x-event-position')).toMatch(/^consent:\d+$/);
    const delegationId = accepted.body.delegationId;
    const again = await t.request('POST', `${link}/accept?code=${code}`, {
      ...as('clientAdmin'),
      body: { client },
    });
    expect(again.status).toBe(200);
    expect(again.body.delegationId).toBe(delegationId);
    expect(JSON.stringify(await t.db.query(`SELECT data, metadata FROM consent.events`))).not.toContain(code);

    // The partner is e-mailed.
    await t.caughtUp();
    const mails = readdirSync(join(t.dataDir, 'mail')).filter((f) =>
      f.startsWith(`delegation-granted-${delegationId}`),
    );
    expect(mails).toHaveLength(1);
    const eml = readFileSync(join(t.dataDir, 'mail', mails[0]), 'utf8');
    expect(eml).toContain('To: admin@partner-a.example');
    expect(eml).toContain('Contoso China accepted your delegated administration offer');

    // The partner admin gives A full and B limited; the same again records nothing.
    clock.set(new Date(T0.getTime() + 10 * minute));
    const roleA = await t.request('PUT', '/api/v1/partner-users/alice@partner-a.example/delegated-role', {
      ...as('partnerAdmin'),
      body: { role: 'full' },
    });
    expect(roleA.status).toBe(200);
    expect(roleA.body).toMatchObject({ userId: 'alice@partner-a.example', role: 'full', changed: true });
    const roleB = await t.request('PUT', '/api/v1/partner-users/bob@partner-a.example/delegated-role', {
      ...as('partnerAdmin'),
      body: { role: 'limited' },
    });
    const sameB = await t.request('PUT', '/api/v1/partner-users/bob@partner-a.example/delegated-role', {
      ...as('partnerAdmin'),
      body: { role: 'limited' },
    });
    expect(sameB.body.changed).toBe(false);
    expect(sameB.headers.get('x-event-position')).toBe(roleB.headers.get('x-event-position'));
    const users = await t.request('GET', '/api/v1/partner-users', {
      ...as('partnerAdmin'),
      headers: { 'x-min-position': roleB.headers.get('x-event-position')! },
    });
    expect(users.body.items.map((u: { userId: string; role: string }) => [u.userId, u.role])).toEqual([
      ['alice@partner-a.example', 'full'],
      ['bob@partner-a.example', 'limited'],
    ]);

    // Access decisions per SPEC §4.
    expect((await decide('alice@partner-a.example', 'users.create')).body).toEqual({
      allowed: true,
      effectiveRole: 'full',
      reason: 'allowed',
    });
    expect((await decide('bob@partner-a.example', 'users.create')).body).toEqual({
      allowed: false,
      effectiveRole: 'limited',
      reason: 'role-insufficient',
    });
    expect((await decide('bob@partner-a.example', 'users.resetPassword')).body).toEqual({
      allowed: true,
      effectiveRole: 'limited',
      reason: 'allowed',
    });
    expect((await decide('alice@partner-a.example', 'mdm.manage')).body).toMatchObject({
      allowed: false,
      reason: 'not-supported',
    });
    expect((await decide('carol@partner-a.example', 'users.read')).body).toEqual({
      allowed: false,
      effectiveRole: null,
      reason: 'no-role',
    });
    expect((await decide('alice@partner-a.example', 'users.read', 'tenant-fabrikam')).body.reason).toBe(
      'no-delegation',
    );
    expect((await decide('alice@partner-a.example', 'root.everything')).status).toBe(400);
    const own = await t.request(
      'GET',
      '/api/v1/access-decisions?userId=alice@partner-a.example&clientId=tenant-contoso&action=users.read',
      as('userA'),
    );
    expect(own.body.allowed).toBe(true);

    // Another client's admin cannot revoke; the client can.
    const beforeRevocation = new Date(T0.getTime() + 20 * minute).toISOString();
    clock.set(new Date(T0.getTime() + 30 * minute));
    expect(
      (
        await t.request('POST', `/api/v1/delegations/${delegationId}/revoke`, {
          ...as('otherClient'),
          body: {},
        })
      ).status,
    ).toBe(404);
    const revoked = await t.request('POST', `/api/v1/delegations/${delegationId}/revoke`, {
      ...as('clientAdmin'),
      body: { reason: 'switching partner' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await decide('alice@partner-a.example', 'users.create')).body).toEqual({
      allowed: false,
      effectiveRole: null,
      reason: 'delegation-revoked',
    });
    expect((await decide('bob@partner-a.example', 'users.read')).body.reason).toBe('delegation-revoked');

    // The audit snapshot, replayed to each instant.
    const wait = { 'x-min-position': revoked.headers.get('x-event-position')! };
    const snapshot = (at: string, who = 'partnerAdmin') =>
      t.request('GET', `/api/v1/audit/access-snapshot?clientId=tenant-contoso&at=${at}`, {
        ...as(who),
        headers: wait,
      });
    const before = await snapshot(beforeRevocation);
    expect(before.status).toBe(200);
    expect(
      before.body.entries.map((e: { userId: string; effectiveRole: string }) => [e.userId, e.effectiveRole]),
    ).toEqual([
      ['alice@partner-a.example', 'full'],
      ['bob@partner-a.example', 'limited'],
    ]);
    expect(
      (await snapshot(new Date(T0.getTime() + 31 * minute).toISOString(), 'auditor')).body.entries,
    ).toEqual([]);
    expect((await snapshot(new Date(T0.getTime() - minute).toISOString())).body.entries).toEqual([]);

    // The replay tool prints the same events as the API.
    const api = await t.request('GET', '/api/v1/audit/access-events?limit=200', {
      ...as('auditor'),
      headers: wait,
    });
    expect(api.body.items.map((e: { type: string }) => e.type)).toEqual([
      'DelegationGranted',
      'RoleAssigned',
      'RoleAssigned',
      'DelegationRevoked',
    ]);
    const out = new Capture();
    expect(await auditTool(['replay'], { out, db: t.db })).toBe(0);
    const replayed = out.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(replayed).toEqual(api.body.items);
    const csv = new Capture();
    expect(
      await auditTool(['replay', '--format', 'csv', '--user', 'bob@partner-a.example'], {
        out: csv,
        db: t.db,
      }),
    ).toBe(0);
    expect(csv.text.trim().split('\n')).toHaveLength(2);
    const verified = await t.request('GET', '/api/v1/audit/verify', as('auditor'));
    expect(verified.body).toEqual({ ok: true, checked: 4 });

    // Accepting after the revocation grants a new delegation.
    const renewed = await t.request('POST', `${link}/accept?code=${code}`, {
      ...as('clientAdmin'),
      body: { client },
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.delegationId).not.toBe(delegationId);
    expect((await decide('alice@partner-a.example', 'users.create')).body.allowed).toBe(true);

    // Another partner gets 404 for everything of partner A.
    const other = as('otherPartner');
    expect((await t.request('GET', `/api/v1/delegations/${delegationId}`, other)).status).toBe(404);
    expect(
      (
        await t.request('POST', `/api/v1/delegations/${renewed.body.delegationId}/revoke`, {
          ...other,
          body: {},
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request(
          'GET',
          '/api/v1/audit/access-snapshot?clientId=tenant-contoso&at=2026-11-21T10:00:00Z',
          other,
        )
      ).status,
    ).toBe(404);
    expect(
      (await t.request('GET', '/api/v1/audit/access-events?clientId=tenant-contoso', other)).status,
    ).toBe(404);
    const theirList = await t.request('GET', '/api/v1/delegations', {
      ...other,
      headers: { 'x-min-position': renewed.headers.get('x-event-position')! },
    });
    expect(theirList.body.items).toEqual([]);
    const ourList = await t.request('GET', '/api/v1/delegations?status=active', {
      ...as('partnerAdmin'),
      headers: { 'x-min-position': renewed.headers.get('x-event-position')! },
    });
    expect(ourList.body.items.map((d: { delegationId: string }) => d.delegationId)).toEqual([
      renewed.body.delegationId,
    ]);
    const clientView = await t.request('GET', `/api/v1/delegations/${delegationId}`, as('clientAdmin'));
    expect(clientView.status).toBe(200);
    expect(clientView.headers.get('etag')).toBe('"2"');
  });

  it('answers 410 for a revoked offer and 401 without a token', async () => {
    const offer = await t.request('POST', '/api/v1/offers', {
      ...as('partnerAdmin'),
      body: { grantedRoles: ['limited'] },
    });
    const code = new URL(offer.body.acceptUrl).searchParams.get('code')!;
    const revoked = await t.request('POST', `/api/v1/offers/${offer.body.id}/revoke`, {
      ...as('partnerAdmin'),
      body: {},
    });
    const res = await t.request('POST', `/api/v1/offer-links/${offer.body.id}/accept?code=${code}`, {
      ...as('otherClient'),
      body: { client },
      headers: { 'x-min-position': revoked.headers.get('x-event-position')! },
    });
    expect(res.status).toBe(410);
    expect((await t.request('GET', '/api/v1/delegations')).status).toBe(401);
  });
});
