import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@dap/eventsourcing';
import { EventStores } from '@dap/platform';
import { consentEventData, startTestApp, type TestApp } from '@dap/testing';
import { HealthModule } from './health.module.js';

/** Reads Server-Sent Events until `count` have arrived, then disconnects. */
async function readSse(url: string, token: string, count: number, lastEventId?: string) {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId && { 'last-event-id': lastEventId }) },
    signal: abort.signal,
  });
  const events: { id: string; event: string; data: any }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          frame
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        );
        if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
      }
    }
  } finally {
    abort.abort();
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}

describe('health over HTTP', () => {
  let t: TestApp;
  let consent: EventStore;
  let publisher: string;
  let partnerA: string;
  let partnerB: string;
  let clientC3: string;
  let granted: string;

  /** The consent service is not wired in this app: its events are appended to the `consent` store directly. */
  const grant = async (delegationId: string, partnerId: string, clientId: string) => {
    const result = await consent.appendToStream(
      `delegation-${delegationId}`,
      [
        {
          type: 'DelegationGranted',
          data: consentEventData('DelegationGranted', {
            delegationId,
            partnerId,
            clientId,
            grantedRoles: ['full', 'limited'],
            expiresAt: null,
          }),
        },
      ],
      'any',
      { actor: { id: 'admin@' + clientId } },
    );
    return `consent:${result.globalPosition}`;
  };
  const raise = (body: object) => t.request('POST', '/api/v1/health-issues', { token: publisher, body });
  const issue = (issueId: string, clientIds: string[], extra: object = {}) => ({
    issueId,
    clientIds,
    service: 'Exchange Online',
    classification: 'incident',
    title: 'Mail delivery delays',
    impactDescription: 'Users may see delays sending mail.',
    status: 'investigating',
    startDateTime: '2026-11-21T08:00:00Z',
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp([HealthModule]);
    consent = await t.app.get(EventStores).open('consent');
    publisher = await t.token('health-feed', 'platform', ['platform.health-publisher']);
    partnerA = await t.token('agent@partner-a', 'partner-a', ['partner.agent']);
    partnerB = await t.token('admin@partner-b', 'partner-b', ['partner.admin']);
    clientC3 = await t.token('admin@c3', 'c3', ['client.admin']);
    await grant('d1', 'partner-a', 'c1');
    await grant('d2', 'partner-a', 'c2');
    granted = await grant('d3', 'partner-b', 'c3');
  });
  afterAll(async () => t.close());

  it("shows a partner its delegated clients' issues and overview, and drops them from the active list when resolved", async () => {
    const raised = await raise(issue('EX100', ['c1', 'c2', 'c3']));
    expect(raised.status).toBe(201);
    expect(raised.body).toEqual({ issueId: 'EX100', raised: 3, unchanged: 0 });
    const advisory = await raise(
      issue('SP200', ['c1'], {
        service: 'SharePoint Online',
        classification: 'advisory',
        title: 'Slow search',
      }),
    );
    expect(advisory.headers.get('x-event-position')).toMatch(/^health:\d+$/);
    const seen = { 'x-min-position': `${advisory.headers.get('x-event-position')},${granted}` };

    const list = await t.request('GET', '/api/v1/health-issues?status=active', {
      token: partnerA,
      headers: seen,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => `${i.issueId}:${i.clientId}`).sort()).toEqual([
      'EX100:c1',
      'EX100:c2',
      'SP200:c1',
    ]);
    expect(list.body.items.find((i: any) => i.issueId === 'EX100')).toMatchObject({
      service: 'Exchange Online',
      classification: 'incident',
      status: 'investigating',
      isResolved: false,
      startDateTime: '2026-11-21T08:00:00.000Z',
    });

    const overview = await t.request('GET', '/api/v1/health-overview', { token: partnerA, headers: seen });
    expect(overview.body.items).toEqual([
      { service: 'Exchange Online', activeIncidents: 1, activeAdvisories: 0, affectedClients: 2 },
      { service: 'SharePoint Online', activeIncidents: 0, activeAdvisories: 1, affectedClients: 1 },
    ]);

    // Other tenants: another partner and a client administrator see only their own.
    const theirs = await t.request('GET', '/api/v1/health-issues', { token: partnerB, headers: seen });
    expect(theirs.body.items.map((i: any) => i.clientId)).toEqual(['c3']);
    const own = await t.request('GET', '/api/v1/health-issues', { token: clientC3, headers: seen });
    expect(own.body.items.map((i: any) => `${i.issueId}:${i.clientId}`)).toEqual(['EX100:c3']);
    expect((await t.request('GET', '/api/v1/health-issues?clientId=c3', { token: partnerA })).status).toBe(
      404,
    );
    expect((await t.request('GET', '/api/v1/health-issues?clientId=c1', { token: clientC3 })).status).toBe(
      404,
    );
    expect((await t.request('GET', '/api/v1/health-overview', { token: clientC3 })).status).toBe(403);

    const progress = await t.request('POST', '/api/v1/health-issues/EX100/updates', {
      token: publisher,
      body: { status: 'restoringService', message: 'Fix deploying', clientIds: ['c1'] },
    });
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ updated: ['c1'], resolved: [], unknownClients: [] });

    const resolved = await t.request('POST', '/api/v1/health-issues/EX100/updates', {
      token: publisher,
      body: { status: 'serviceRestored', message: 'Fixed' },
    });
    expect(resolved.status).toBe(200);
    expect([...resolved.body.resolved].sort()).toEqual(['c1', 'c2', 'c3']);
    const after = { 'x-min-position': resolved.headers.get('x-event-position')! };

    const active = await t.request('GET', '/api/v1/health-issues?status=active', {
      token: partnerA,
      headers: after,
    });
    expect(active.body.items.map((i: any) => `${i.issueId}:${i.clientId}`)).toEqual(['SP200:c1']);
    const done = await t.request('GET', '/api/v1/health-issues?status=resolved&clientId=c1', {
      token: partnerA,
      headers: after,
    });
    expect(done.body.items).toEqual([
      expect.objectContaining({
        issueId: 'EX100',
        clientId: 'c1',
        status: 'serviceRestored',
        isResolved: true,
        lastMessage: 'Fixed',
      }),
    ]);
    expect(done.body.items[0].endDateTime).not.toBeNull();
    const overviewAfter = await t.request('GET', '/api/v1/health-overview', {
      token: partnerA,
      headers: after,
    });
    expect(overviewAfter.body.items).toEqual([
      { service: 'SharePoint Online', activeIncidents: 0, activeAdvisories: 1, affectedClients: 1 },
    ]);
  });

  it('changes nothing when the same issue is posted again for the same clients', async () => {
    const first = await raise(issue('EX300', ['c1', 'c2']));
    const count = async () =>
      (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health.events`))[0].n;
    const before = await count();
    const again = await raise(issue('EX300', ['c1', 'c2'], { title: 'edited' }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ issueId: 'EX300', raised: 0, unchanged: 2 });
    expect(await count()).toBe(before);
    const more = await raise(issue('EX300', ['c2', 'c3']));
    expect(more.body).toEqual({ issueId: 'EX300', raised: 1, unchanged: 1 });
    expect(first.status).toBe(201);
  });

  it('raises one issue for 10,000 clients in one request (a body over 256 KiB), atomically', async () => {
    const clientIds = Array.from(
      { length: 10_000 },
      (_, i) => `tenant-${String(i).padStart(5, '0')}-0f3c9a1e-7b2d`,
    );
    const body = issue('BIG1', clientIds);
    expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
    const res = await raise(body);
    expect(res.status).toBe(201);
    expect(res.body.raised).toBe(10_000);
    const [{ n }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM health.events WHERE stream_id LIKE 'health-issue-BIG1:%'`,
    );
    expect(n).toBe(10_000);
    const tooMany = await raise(issue('BIG2', [...clientIds, 'one-more']));
    expect(tooMany.status).toBe(400);
  }, 60_000);

  it('refuses bad input with 400 and the wrong principal with 401/403', async () => {
    const bad = await raise({ ...issue('EX400', []), status: 'fine', classification: 'rumour', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(['clientIds', 'status', 'classification', 'extra']),
    );
    expect((await raise(issue('bad id', ['c1']))).status).toBe(400);
    expect(
      (await t.request('POST', '/api/v1/health-issues', { token: partnerA, body: issue('EX401', ['c1']) }))
        .status,
    ).toBe(403);
    const fakePublisher = await t.token('x', 'partner-a', ['platform.health-publisher']);
    expect(
      (
        await t.request('POST', '/api/v1/health-issues', {
          token: fakePublisher,
          body: issue('EX402', ['c1']),
        })
      ).status,
    ).toBe(403);
    expect((await t.request('GET', '/api/v1/health-issues')).status).toBe(401);
    const unknown = await t.request('POST', '/api/v1/health-issues/NOPE/updates', {
      token: publisher,
      body: { status: 'serviceRestored', message: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it("streams the caller's health events as SSE and resumes after a reconnect with Last-Event-ID", async () => {
    const grantPosition = await grant('d5', 'partner-a', 'c5');
    await raise(issue('SSE1', ['c5', 'c6']));
    const url = `${t.baseUrl}/api/v1/health-events/stream?clientId=c5`;
    const visible = await t.request('GET', '/api/v1/health-issues?clientId=c5', {
      token: partnerA,
      headers: { 'x-min-position': grantPosition },
    });
    expect(visible.status).toBe(200);

    const first = await readSse(url, partnerA, 1);
    expect(first.status).toBe(200);
    expect(first.contentType).toContain('text/event-stream');
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({
      event: 'HealthIssueRaised',
      data: { type: 'HealthIssueRaised', source: 'health', data: { issueId: 'SSE1', clientId: 'c5' } },
    });
    expect(first.events[0].id).toBe(String(first.events[0].data.globalPosition));

    await t.request('POST', '/api/v1/health-issues/SSE1/updates', {
      token: publisher,
      body: { status: 'serviceRestored', message: 'ok' },
    });
    const resumed = await readSse(url, partnerA, 1, first.events[0].id);
    expect(resumed.events.map((e) => [e.event, e.data.data.clientId])).toEqual([
      ['HealthIssueResolved', 'c5'],
    ]);
    expect(Number(resumed.events[0].id)).toBeGreaterThan(Number(first.events[0].id));

    // Live: an event appended while connected arrives too.
    const live = readSse(url, partnerA, 2, first.events[0].id);
    await t.request('POST', '/api/v1/health-issues/SSE1/updates', {
      token: publisher,
      body: { status: 'postIncidentReviewPublished', message: 'PIR' },
    });
    expect((await live).events.map((e) => e.event)).toEqual(['HealthIssueResolved', 'HealthIssueUpdated']);

    expect((await readSse(`${t.baseUrl}/api/v1/health-events/stream?clientId=c6`, partnerA, 1)).status).toBe(
      404,
    );
  });
});
