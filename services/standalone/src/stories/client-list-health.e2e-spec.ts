import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@dap/eventsourcing';
import { HealthModule } from '@dap/health';
import { EventStores } from '@dap/platform';
import { grantDelegation, startTestApp, type TestApp } from '@dap/testing';
import { ClientDirectoryModule } from '@dap/client-directory';

/**
 * The client management list with the health service beside it, driven through the health API.
 * The consent service is not wired into this app: its events are appended to the `consent` store
 * directly, as that service would.
 */
describe('client directory and health over HTTP', () => {
  let t: TestApp;
  let consent: EventStore;
  let agent: string;
  let publisher: string;

  const grant = (partnerId: string, clientId: string, name: string, primaryDomain: string, extra?: object) =>
    grantDelegation(consent, partnerId, clientId, name, primaryDomain, extra);
  const list = (query: string, at?: string, as = agent) =>
    t.request('GET', `/api/v1/clients${query}`, { token: as, headers: at ? { 'x-min-position': at } : {} });
  const ids = (res: { body: { items: { clientId: string }[] } }) => res.body.items.map((i) => i.clientId);

  beforeAll(async () => {
    t = await startTestApp([ClientDirectoryModule, HealthModule]);
    consent = await t.app.get(EventStores).open('consent');
    agent = await t.token('carol@partner-a', 'partner-a', ['partner.agent']);
    publisher = await t.token('health-feed', 'platform', ['platform.health-publisher']);
  });
  afterAll(async () => t.close());

  it('shows a health issue in the row and the details, sorts incidents first, and lets it go when resolved', async () => {
    await grant('partner-a', 'h-1', 'Healthy Harbor', 'harbor.cn');
    await grant('partner-a', 'h-2', 'Humble Advisory', 'humble.cn');
    const sick = await grant('partner-a', 'h-3', 'Hurting Incident', 'hurting.cn');
    const issue = (issueId: string, clientIds: string[], classification: string) => ({
      issueId,
      clientIds,
      service: 'Exchange Online',
      classification,
      title: `${classification} on mail`,
      impactDescription: 'Users may see delays sending mail.',
      status: 'serviceDegradation',
      startDateTime: '2026-11-21T08:00:00Z',
    });
    const raised = await t.request('POST', '/api/v1/health-issues', {
      token: publisher,
      body: issue('EX1', ['h-3'], 'incident'),
    });
    expect(raised.status).toBe(201);
    const adv = await t.request('POST', '/api/v1/health-issues', {
      token: publisher,
      body: issue('SP1', ['h-2'], 'advisory'),
    });
    const at = `${adv.headers.get('x-event-position')},${sick.position}`;
    const sorted = await list('?search=h&sort=health&limit=200', at);
    const hs = sorted.body.items.filter((i: { clientId: string }) => i.clientId.startsWith('h-'));
    expect(hs.map((i: any) => [i.clientId, i.health.status])).toEqual([
      ['h-3', 'incident'],
      ['h-2', 'advisory'],
      ['h-1', 'healthy'],
    ]);
    expect(sorted.body.items[0].clientId).toBe('h-3');
    expect(hs[0].health).toEqual({ status: 'incident', activeIncidents: 1, activeAdvisories: 0 });
    expect(ids(await list('?health=incident'))).toEqual(['h-3']);
    const details = await t.request('GET', '/api/v1/clients/h-3', { token: agent });
    expect(details.body.healthIssues).toMatchObject([
      {
        issueId: 'EX1',
        classification: 'incident',
        status: 'serviceDegradation',
        service: 'Exchange Online',
      },
    ]);

    const resolved = await t.request('POST', '/api/v1/health-issues/EX1/updates', {
      token: publisher,
      body: { status: 'serviceRestored', message: 'Fixed.' },
    });
    expect(resolved.status).toBeLessThan(300);
    const after = await t.request('GET', '/api/v1/clients/h-3', {
      token: agent,
      headers: { 'x-min-position': resolved.headers.get('x-event-position')! },
    });
    expect(after.body.health).toEqual({ status: 'healthy', activeIncidents: 0, activeAdvisories: 0 });
    expect(after.body.healthIssues).toEqual([]);
  });
});
