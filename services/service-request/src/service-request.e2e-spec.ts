import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@dap/eventsourcing';
import { EventStores } from '@dap/platform';
import { consentEventData, startTestApp, type TestApp } from '@dap/testing';
import { ServiceRequestModule } from './service-request.module.js';

describe('service requests over HTTP', () => {
  let t: TestApp;
  let consent: EventStore;
  let agentA: string;
  let agentB: string;
  let clientAdmin: string;
  let otherClientAdmin: string;

  /**
   * The consent service is not wired in this app: its delegation and role events are appended to
   * the `consent` store directly. Each returns an X-Min-Position token for the access table.
   */
  const consentEvent = async (stream: string, type: string, data: object) => {
    const result = await consent.appendToStream(
      stream,
      [{ type, data: consentEventData(type, data as Record<string, unknown>) }],
      'any',
      { actor: { id: 'test' } },
    );
    return { 'x-min-position': `consent:${result.globalPosition}` };
  };
  const grant = (
    delegationId: string,
    partnerId: string,
    clientId: string,
    grantedRoles = ['full', 'limited'],
  ) =>
    consentEvent(`delegation-${delegationId}`, 'DelegationGranted', {
      delegationId,
      partnerId,
      clientId,
      grantedRoles,
      expiresAt: null,
    });
  const assignRole = (partnerId: string, userId: string, role: string) =>
    consentEvent(`partner-user-${partnerId}-${userId}`, 'RoleAssigned', {
      partnerId,
      userId,
      role,
      previousRole: null,
      assignedBy: 'admin',
    });
  const body = (clientId: string, extra: object = {}) => ({
    clientId,
    title: 'Cannot verify domain',
    description: 'The TXT record is published but verification fails.',
    severity: 'moderate',
    contact: { name: 'Ada Lovelace', email: 'ada@c1.example', phone: '+33 1 23 45 67 89' },
    ...extra,
  });
  const create = (token: string, payload: object, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/v1/service-requests', { token, body: payload, headers });

  beforeAll(async () => {
    t = await startTestApp([ServiceRequestModule]);
    consent = await t.app.get(EventStores).open('consent');
    agentA = await t.token('agent@partner-a', 'partner-a', ['partner.agent']);
    agentB = await t.token('agent@partner-b', 'partner-b', ['partner.agent']);
    clientAdmin = await t.token('admin@c1', 'c1', ['client.admin']);
    otherClientAdmin = await t.token('admin@c9', 'c9', ['client.admin']);
  });
  afterAll(async () => t.close());

  it('refuses a service request without delegation (403 with the reason) and allows it with one', async () => {
    const none = await create(agentA, body('c1'));
    expect(none.status).toBe(403);
    expect(none.body).toMatchObject({ status: 403, reason: 'no-delegation' });

    const granted = await grant('d1', 'partner-a', 'c1');
    const noRole = await create(agentA, body('c1'), granted);
    expect(noRole.status).toBe(403);
    expect(noRole.body.reason).toBe('no-role');

    const role = await assignRole('partner-a', 'agent@partner-a', 'limited');
    const created = await create(agentA, body('c1'), role);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId: 'c1',
      partnerId: 'partner-a',
      status: 'open',
      severity: 'moderate',
      createdBy: 'agent@partner-a',
      contact: { name: 'Ada Lovelace', email: 'ada@c1.example', phone: '+33 1 23 45 67 89' },
    });
    expect(created.headers.get('x-event-position')).toMatch(/^service-request:\d+$/);
    expect(created.headers.get('location')).toBe(`/api/v1/service-requests/${created.body.id}`);
  });

  it('adds notes and moves through the statuses, refusing a transition that is not allowed', async () => {
    await grant('d2', 'partner-a', 'c2');
    const ready = await assignRole('partner-a', 'agent@partner-a', 'full');
    const { body: request } = await create(agentA, body('c2'), ready);
    const path = `/api/v1/service-requests/${request.id}`;

    const noted = await t.request('POST', `${path}/notes`, {
      token: agentA,
      body: { text: 'Logs attached.' },
    });
    expect(noted.status).toBe(201);
    const toAttention = await t.request('POST', `${path}/status`, {
      token: agentA,
      body: { status: 'attentionNeeded', note: 'Waiting on Microsoft' },
    });
    expect(toAttention.status).toBe(200);
    expect(toAttention.body.status).toBe('attentionNeeded');
    const closed = await t.request('POST', `${path}/status`, { token: agentA, body: { status: 'closed' } });
    expect(closed.body.status).toBe('closed');
    const refused = await t.request('POST', `${path}/status`, {
      token: agentA,
      body: { status: 'attentionNeeded' },
    });
    expect(refused.status).toBe(409);
    expect((await t.request('POST', `${path}/notes`, { token: agentA, body: { text: 'late' } })).status).toBe(
      409,
    );
    const reopened = await t.request('POST', `${path}/status`, { token: agentA, body: { status: 'open' } });
    expect(reopened.body.status).toBe('open');

    const got = await t.request('GET', path, {
      token: agentA,
      headers: { 'x-min-position': reopened.headers.get('x-event-position')! },
    });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"5"');
    expect(got.body.activity.map((a: any) => a.kind + (a.to ? `:${a.to}` : ''))).toEqual([
      'note',
      'status:attentionNeeded',
      'status:closed',
      'status:open',
    ]);
    const stale = await t.request('POST', `${path}/notes`, {
      token: agentA,
      body: { text: 'x' },
      headers: { 'if-match': '"2"' },
    });
    expect(stale.status).toBe(412);
    const bad = await t.request('POST', `${path}/status`, { token: agentA, body: { status: 'pending' } });
    expect(bad.status).toBe(400);
  });

  it('answers each command with the view a GET gives once the read model has the command', async () => {
    await grant('d3', 'partner-a', 'c3');
    const ready = await assignRole('partner-a', 'agent@partner-a', 'full');
    const created = await create(agentA, body('c3'), ready);
    const path = `/api/v1/service-requests/${created.body.id}`;
    const commands = [
      () => Promise.resolve(created),
      () => t.request('POST', `${path}/notes`, { token: agentA, body: { text: 'First look.' } }),
      () =>
        t.request('POST', `${path}/status`, {
          token: agentA,
          body: { status: 'attentionNeeded', note: 'Waiting on the client' },
        }),
      () => t.request('POST', `${path}/status`, { token: agentA, body: { status: 'closed' } }),
    ];
    for (const [k, command] of commands.entries()) {
      const answer = await command();
      const got = await t.request('GET', path, {
        token: agentA,
        headers: { 'x-min-position': answer.headers.get('x-event-position')! },
      });
      expect(answer.body).toEqual(got.body);
      expect(answer.body.version).toBe(k + 1);
      expect(answer.body.activity).toHaveLength(k);
    }
  });

  it('shows a request to its partner and its client only; another partner gets 404', async () => {
    const { body: request, headers } = await create(agentA, body('c1', { title: 'Visible to c1' }));
    const seen = { 'x-min-position': headers.get('x-event-position')! };
    const path = `/api/v1/service-requests/${request.id}`;

    expect((await t.request('GET', path, { token: agentB, headers: seen })).status).toBe(404);
    expect((await t.request('POST', `${path}/notes`, { token: agentB, body: { text: 'hi' } })).status).toBe(
      404,
    );
    expect(
      (await t.request('POST', `${path}/status`, { token: agentB, body: { status: 'closed' } })).status,
    ).toBe(404);
    const theirs = await t.request('GET', '/api/v1/service-requests', { token: agentB, headers: seen });
    expect(theirs.body).toEqual({ items: [], nextCursor: null });

    const forClient = await t.request('GET', '/api/v1/service-requests?clientId=c1', {
      token: clientAdmin,
      headers: seen,
    });
    expect(forClient.body.items.map((r: any) => r.id)).toContain(request.id);
    expect(forClient.body.items.every((r: any) => r.clientId === 'c1')).toBe(true);
    expect((await t.request('GET', path, { token: clientAdmin })).status).toBe(200);
    expect((await t.request('GET', path, { token: otherClientAdmin })).status).toBe(404);
    expect((await create(clientAdmin, body('c1'))).status).toBe(403);
  });

  it("lets a partner agent read a client's requests only with an effective role on its delegation", async () => {
    const agentC = await t.token('agent-c@partner-a', 'partner-a', ['partner.agent']);
    const adminA = await t.token('admin@partner-a', 'partner-a', ['partner.admin']);
    const c6Admin = await t.token('admin@c6', 'c6', ['client.admin']);
    await grant('d6', 'partner-a', 'c6');
    const ready = await assignRole('partner-a', 'agent@partner-a', 'full');
    const { body: request, headers } = await create(agentA, body('c6', { title: 'Only with a role' }), ready);
    const seen = { 'x-min-position': headers.get('x-event-position')! };
    const path = `/api/v1/service-requests/${request.id}`;
    const listIds = async (token: string, at: Record<string, string> = {}) =>
      (await t.request('GET', '/api/v1/service-requests?limit=200', { token, headers: at })).body.items.map(
        (r: { id: string }) => r.id,
      );

    // Without a delegated role: nothing in the list, 403 with the reason for the request or its client.
    expect(await listIds(agentC, seen)).toEqual([]);
    const noRole = await t.request('GET', path, { token: agentC });
    expect(noRole.status).toBe(403);
    expect(noRole.body).toMatchObject({ status: 403, reason: 'no-role' });
    expect(
      (await t.request('GET', '/api/v1/service-requests?clientId=c6', { token: agentC })).body.reason,
    ).toBe('no-role');
    // The partner admin reads all of its partner's; the client admin its own.
    expect(await listIds(adminA)).toContain(request.id);
    expect((await t.request('GET', path, { token: adminA })).status).toBe(200);

    const role = await assignRole('partner-a', 'agent-c@partner-a', 'limited');
    expect(await listIds(agentC, role)).toContain(request.id);
    expect((await t.request('GET', path, { token: agentC })).status).toBe(200);

    const revoked = await consentEvent('delegation-d6', 'DelegationRevoked', {
      delegationId: 'd6',
      partnerId: 'partner-a',
      clientId: 'c6',
      side: 'client',
      revokedBy: 'admin@c6',
    });
    const after = await listIds(agentC, revoked);
    expect(after).not.toContain(request.id);
    expect(after.length).toBeGreaterThan(0);
    const gone = await t.request('GET', path, { token: agentC });
    expect(gone.status).toBe(403);
    expect(gone.body.reason).toBe('delegation-revoked');
    expect((await t.request('GET', path, { token: adminA })).status).toBe(200);
    expect((await t.request('GET', path, { token: c6Admin })).status).toBe(200);
  });

  it('lists with keyset pagination and filters', async () => {
    await grant('d3', 'partner-a', 'c3');
    const ready = await assignRole('partner-a', 'agent@partner-a', 'full');
    let last = ready;
    for (let i = 0; i < 5; i++) {
      const res = await create(agentA, body('c3', { title: `Paged ${i}` }), last);
      last = { 'x-min-position': res.headers.get('x-event-position')! };
    }
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.request(
        'GET',
        `/api/v1/service-requests?clientId=c3&status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token: agentA,
          headers: last,
        },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      titles.push(...page.body.items.map((r: any) => r.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(titles).toEqual(['Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
    expect(
      (await t.request('GET', '/api/v1/service-requests?cursor=garbage', { token: agentA })).status,
    ).toBe(400);
    expect((await t.request('GET', '/api/v1/service-requests?limit=500', { token: agentA })).status).toBe(
      400,
    );
  });

  it('refuses once the delegation is revoked or expired, and names each bad field', async () => {
    await grant('d4', 'partner-a', 'c4');
    await assignRole('partner-a', 'agent@partner-a', 'full');
    const revoked = await consentEvent('delegation-d4', 'DelegationRevoked', {
      delegationId: 'd4',
      partnerId: 'partner-a',
      clientId: 'c4',
      side: 'client',
      revokedBy: 'admin@c4',
    });
    const res = await create(agentA, body('c4'), revoked);
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('delegation-revoked');

    await grant('d5', 'partner-a', 'c5');
    const expired = await consentEvent('delegation-d5', 'DelegationExpired', {
      delegationId: 'd5',
      partnerId: 'partner-a',
      clientId: 'c5',
    });
    expect((await create(agentA, body('c5'), expired)).body.reason).toBe('delegation-expired');

    const bad = await create(agentA, {
      ...body('c1'),
      title: '',
      severity: 'urgent',
      contact: { name: 'x', email: 'nope' },
      extra: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(['title', 'severity', 'contact.email', 'extra']),
    );
  });
});
