import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@dap/eventsourcing';
import { EventStores } from '@dap/platform';
import { consentEventData, grantDelegation, startTestApp, type TestApp } from '@dap/testing';
import { ClientDirectoryModule } from './client-directory.module.js';

/**
 * The client management list over HTTP. The consent and service-request services are not wired into
 * this app: their events are appended to the `consent` and `service-request` stores directly, as those
 * services would. (Health issues raised through the health API: stories/client-list-health in standalone.)
 */
describe('client directory over HTTP', () => {
  let t: TestApp;
  let consent: EventStore;
  let requests: EventStore;
  let admin: string;
  let agent: string;
  let otherAdmin: string;

  const address = { line1: '1 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' };
  const token = (store: string, r: { globalPosition: number }) => `${store}:${r.globalPosition}`;
  const grant = (partnerId: string, clientId: string, name: string, primaryDomain: string, extra?: object) =>
    grantDelegation(consent, partnerId, clientId, name, primaryDomain, extra);
  const end = async (
    d: { delegationId: string; partnerId: string; clientId: string },
    type: 'DelegationRevoked' | 'DelegationExpired',
  ) => {
    const data = {
      delegationId: d.delegationId,
      partnerId: d.partnerId,
      clientId: d.clientId,
      revokedBy: 'x',
      side: 'client',
      expiredAt: '2026-11-22T00:00:00Z',
    };
    return token(
      'consent',
      await consent.appendToStream(
        `delegation-${d.delegationId}`,
        [{ type, data: consentEventData(type, data) }],
        'any',
        {
          actor: { id: 'x' },
          partnerId: d.partnerId,
        },
      ),
    );
  };
  const list = (query: string, at?: string, as = agent) =>
    t.request('GET', `/api/v1/clients${query}`, { token: as, headers: at ? { 'x-min-position': at } : {} });
  const ids = (res: { body: { items: { clientId: string }[] } }) => res.body.items.map((i) => i.clientId);

  beforeAll(async () => {
    t = await startTestApp([ClientDirectoryModule]);
    consent = await t.app.get(EventStores).open('consent');
    requests = await t.app.get(EventStores).open('service-request');
    admin = await t.token('alice@partner-a', 'partner-a', ['partner.admin']);
    agent = await t.token('carol@partner-a', 'partner-a', ['partner.agent']);
    otherAdmin = await t.token('bob@partner-b', 'partner-b', ['partner.admin']);
  });
  afterAll(async () => t.close());

  it('lists a client only after it accepted, and no longer after a revocation or an expiry', async () => {
    const before = await list('?search=accepting');
    expect(before.body).toEqual({ items: [], nextCursor: null, total: 0 });
    const a = await grant('partner-a', 'acc-1', 'Accepting One', 'accepting-one.cn');
    const b = await grant('partner-a', 'acc-2', 'Accepting Two', 'accepting-two.cn');
    const listed = await list('?search=accepting', b.position);
    expect(listed.status).toBe(200);
    expect(ids(listed)).toEqual(['acc-1', 'acc-2']);
    expect(listed.body.items[0]).toEqual({
      clientId: 'acc-1',
      name: 'Accepting One',
      primaryDomain: 'accepting-one.cn',
      delegation: {
        id: a.delegationId,
        status: 'active',
        grantedRoles: ['full', 'limited'],
        grantedAt: '2026-11-21T08:00:00.000Z',
        expiresAt: null,
      },
      health: { status: 'healthy', activeIncidents: 0, activeAdvisories: 0 },
      openServiceRequests: 0,
      tags: [],
    });
    await end(a, 'DelegationRevoked');
    const expired = await end(b, 'DelegationExpired');
    expect(await list('?search=accepting', expired)).toMatchObject({ body: { items: [], total: 0 } });
    expect((await t.request('GET', '/api/v1/clients/acc-1', { token: agent })).status).toBe(404);
  });

  it('searches part of a name, part of a domain and a full domain (exact domain first)', async () => {
    await grant('partner-a', 's-1', 'Contoso Pharmaceuticals', 'contoso-pharma.cn');
    await grant('partner-a', 's-2', 'Alpha Contoso.cn Resellers', 'alpha-resellers.cn');
    const last = await grant('partner-a', 's-3', 'Zenith Trading', 'contoso.cn');
    expect(ids(await list('?search=PHARMACEUT', last.position))).toEqual(['s-1']);
    expect(ids(await list('?search=resellers.c'))).toEqual(['s-2']);
    const exact = await list('?search=Contoso.CN');
    expect(ids(exact)).toEqual(['s-3', 's-2']);
    expect(exact.body.total).toBe(2);
    const paged = await list('?search=contoso.cn&limit=1');
    expect(ids(paged)).toEqual(['s-3']);
    expect(ids(await list(`?search=contoso.cn&limit=1&cursor=${paged.body.nextCursor}`))).toEqual(['s-2']);
  });

  it('counts a service request in the row until it is closed', async () => {
    const g = await grant('partner-a', 'sr-1', 'Service Seeker', 'seeker.cn');
    const append = async (type: string, data: object) =>
      token(
        'service-request',
        await requests.appendToStream('service-request-r1', [{ type, data }], 'any', {
          actor: { id: 'carol@partner-a' },
          partnerId: 'partner-a',
        }),
      );
    await append('ServiceRequestCreated', {
      requestId: 'r1',
      partnerId: 'partner-a',
      clientId: 'sr-1',
      title: 'Mailbox restore',
      description: 'Please restore',
      severity: 'moderate',
      contact: { name: 'Ann', email: 'ann@seeker.cn' },
      createdBy: 'carol@partner-a',
    });
    const attention = await append('ServiceRequestStatusChanged', {
      requestId: 'r1',
      from: 'open',
      to: 'attentionNeeded',
    });
    const row = await list('?search=seeker', `${attention},${g.position}`);
    expect(row.body.items[0].openServiceRequests).toBe(1);
    const details = await t.request('GET', '/api/v1/clients/sr-1', { token: agent });
    expect(details.body.serviceRequests).toMatchObject([
      { requestId: 'r1', status: 'attentionNeeded', severity: 'moderate' },
    ]);
    const closed = await append('ServiceRequestStatusChanged', {
      requestId: 'r1',
      from: 'attentionNeeded',
      to: 'closed',
    });
    expect((await list('?search=seeker', closed)).body.items[0].openServiceRequests).toBe(0);
  });

  it('embeds the 50 most recent open service requests in the details; the row counts them all', async () => {
    await grant('partner-a', 'sr-many', 'Busy Client', 'busy.cn');
    const created = [];
    for (let n = 0; n < 53; n++) {
      const requestId = `busy-${String(n).padStart(2, '0')}`;
      await requests.appendToStream(
        `service-request-${requestId}`,
        [
          {
            type: 'ServiceRequestCreated',
            data: {
              requestId,
              partnerId: 'partner-a',
              clientId: 'sr-many',
              title: `Request ${n}`,
              description: 'Please help',
              severity: 'minimal',
              contact: { name: 'Ann', email: 'ann@busy.cn' },
              createdBy: 'carol@partner-a',
            },
          },
        ],
        0,
        { actor: { id: 'carol@partner-a' }, partnerId: 'partner-a' },
      );
      created.push(requestId);
    }
    await t.caughtUp();
    const details = await t.request('GET', '/api/v1/clients/sr-many', { token: agent });
    expect(details.body.openServiceRequests).toBe(53);
    const embedded: { requestId: string; createdAt: string }[] = details.body.serviceRequests;
    expect(embedded).toHaveLength(50);
    // Newest first (requests created in the same millisecond by id), and none left out is newer.
    const byAge = (a: { requestId: string; createdAt: string }, b: typeof a) =>
      b.createdAt.localeCompare(a.createdAt) || a.requestId.localeCompare(b.requestId);
    expect(embedded).toEqual([...embedded].sort(byAge));
    const shown = new Set(embedded.map((r) => r.requestId));
    const leftOut = await Promise.all(
      created
        .filter((id) => !shown.has(id))
        .map(async (requestId) => {
          const [e] = await requests.readStream(`service-request-${requestId}`);
          return { requestId, createdAt: new Date(e.time).toISOString() };
        }),
    );
    expect(leftOut).toHaveLength(3);
    for (const r of leftOut) expect(byAge(embedded[49], r)).toBeLessThan(0);
  });

  it('shows details with address, admin centers and the bundled trial; edits profile and tags with ETags', async () => {
    const g = await grant('partner-a', 'p-1', 'Profile Corp', 'profile.cn', {
      includes: { trial: { productId: 'm365-e3' } },
    });
    await t.caughtUp();
    await t.caughtUp(); // the process manager appends the trial; the list then reads it
    const details = await t.request('GET', '/api/v1/clients/p-1', {
      token: agent,
      headers: { 'x-min-position': g.position },
    });
    expect(details.status).toBe(200);
    expect(details.body.address).toEqual(address);
    expect(details.body.subscriptions).toMatchObject([
      { subscriptionId: `${g.delegationId}-trial`, productId: 'm365-e3', status: 'trial' },
    ]);
    expect(details.body.adminCenters.map((a: { name: string }) => a.name)).toEqual([
      'Microsoft 365 admin center',
      'Exchange admin center',
      'SharePoint admin center',
      'Teams admin center',
      'Microsoft Entra admin center',
    ]);
    expect(details.body.adminCenters[1].url).toContain('profile.cn');
    const etag = details.headers.get('etag')!;
    expect(etag).toBe('"1"');

    const patched = await t.request('PATCH', '/api/v1/clients/p-1', {
      token: admin,
      body: { name: 'Profile Corporation', tags: ['vip', 'east'] },
      headers: { 'if-match': etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Profile Corporation', tags: ['vip', 'east'] });
    expect(patched.headers.get('x-event-position')).toMatch(/^client-directory:\d+$/);
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await t.request('PATCH', '/api/v1/clients/p-1', {
      token: admin,
      body: { tags: [] },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(ids(await list('?tag=vip', patched.headers.get('x-event-position')!))).toEqual(['p-1']);

    const tooMany = await t.request('PATCH', '/api/v1/clients/p-1', {
      token: admin,
      body: { tags: Array.from({ length: 31 }, (_, i) => `t${i}`) },
    });
    expect(tooMany.status).toBe(400);
    const unknown = await t.request('PATCH', '/api/v1/clients/p-1', {
      token: admin,
      body: { colour: 'red' },
    });
    expect(unknown.status).toBe(400);
    expect(
      (await t.request('PATCH', '/api/v1/clients/p-1', { token: agent, body: { name: 'X' } })).status,
    ).toBe(403);
  });

  it('manages subscriptions for a partner user holding the full delegated role', async () => {
    const g = await grant('partner-a', 'sub-1', 'Subscriber', 'subscriber.cn');
    const body = { productId: 'm365-e5', name: 'Microsoft 365 E5', quantity: 10, status: 'active' };
    const put = (as: string) =>
      t.request('PUT', '/api/v1/clients/sub-1/subscriptions/e5', {
        token: as,
        body,
        headers: { 'x-min-position': g.position },
      });
    const denied = await put(admin);
    expect(denied.status).toBe(403);
    const role = await consent.appendToStream(
      'partner-user-partner-a:alice@partner-a',
      [
        {
          type: 'RoleAssigned',
          data: {
            partnerId: 'partner-a',
            userId: 'alice@partner-a',
            role: 'full',
            previousRole: null,
            assignedBy: 'alice@partner-a',
          },
        },
      ],
      'any',
      { actor: { id: 'alice@partner-a' }, partnerId: 'partner-a' },
    );
    await t.caughtUp();
    const created = await t.request('PUT', '/api/v1/clients/sub-1/subscriptions/e5', {
      token: admin,
      body,
      headers: { 'x-min-position': token('consent', role) },
    });
    expect(created.status).toBe(201);
    const same = await t.request('PUT', '/api/v1/clients/sub-1/subscriptions/e5', { token: admin, body });
    expect(same.status).toBe(200);
    const seen = await t.request('GET', '/api/v1/clients/sub-1', {
      token: agent,
      headers: { 'x-min-position': created.headers.get('x-event-position')! },
    });
    expect(seen.body.subscriptions).toMatchObject([{ subscriptionId: 'e5', quantity: 10 }]);
    const removed = await t.request('DELETE', '/api/v1/clients/sub-1/subscriptions/e5', { token: admin });
    expect(removed.status).toBe(204);
    expect(
      (await t.request('DELETE', '/api/v1/clients/sub-1/subscriptions/e5', { token: admin })).status,
    ).toBe(404);
    const gone = await t.request('GET', '/api/v1/clients/sub-1', {
      token: agent,
      headers: { 'x-min-position': removed.headers.get('x-event-position')! },
    });
    expect(gone.body.subscriptions).toEqual([]);
  });

  it('exports the filtered list as CSV', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/clients/export.csv?search=contoso`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^clientId,name,primaryDomain,/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['s-1', 's-2', 's-3']);
  });

  it("shows another partner none of it, and answers 404 on another partner's client", async () => {
    const theirs = await list('?limit=200', undefined, otherAdmin);
    expect(theirs.body).toEqual({ items: [], nextCursor: null, total: 0 });
    expect((await t.request('GET', '/api/v1/clients/s-1', { token: otherAdmin })).status).toBe(404);
    expect(
      (await t.request('PATCH', '/api/v1/clients/s-1', { token: otherAdmin, body: { name: 'Mine' } })).status,
    ).toBe(404);
    expect((await t.request('GET', '/api/v1/clients/nope', { token: agent })).status).toBe(404);
    const client = await t.token('admin@s-1', 's-1', ['client.admin']);
    expect((await t.request('GET', '/api/v1/clients', { token: client })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/clients')).status).toBe(401);
    expect((await list('?sort=colour')).status).toBe(400);
  });
});
