import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientDirectoryModule } from '@dap/client-directory';
import { ConsentModule } from '@dap/consent';
import { HealthModule } from '@dap/health';
import { OfferModule } from '@dap/offer';
import { ServiceRequestModule } from '@dap/service-request';
import { startTestApp, type TestApp } from '@dap/testing';
import { acceptOffer, at } from './story-steps.js';

/**
 * The client list through the real APIs of every service: a partner's offer (with a bundled trial) is
 * accepted, the client appears with its trial subscription, a service request is counted until it is
 * closed, a health incident shows until resolved, and a revocation takes the client away again.
 */
describe('client list through the offer, consent, health and service-request APIs', () => {
  let t: TestApp;
  let admin: string;
  let otherAdmin: string;
  let clientAdmin: string;
  let publisher: string;

  beforeAll(async () => {
    t = await startTestApp([
      OfferModule,
      ConsentModule,
      HealthModule,
      ServiceRequestModule,
      ClientDirectoryModule,
    ]);
    admin = await t.token('alice@partner-a', 'partner-a', ['partner.admin']);
    otherAdmin = await t.token('bob@partner-b', 'partner-b', ['partner.admin']);
    clientAdmin = await t.token('admin@tenant-c1', 'tenant-c1', ['client.admin']);
    publisher = await t.token('health-feed', 'platform', ['platform.health-publisher']);
  });
  afterAll(async () => t.close());

  it('follows the client from acceptance to revocation', async () => {
    const offer = await t.request('POST', '/api/v1/offers', {
      token: admin,
      body: { includes: { trial: { productId: 'm365-e3' } } },
    });
    expect(offer.status).toBe(201);
    expect(
      (
        await t.request('GET', '/api/v1/clients', {
          token: admin,
          headers: at(offer.headers.get('x-event-position')),
        })
      ).body.total,
    ).toBe(0);

    const accepted = await acceptOffer(t, offer, clientAdmin, {
      name: 'Contoso Retail',
      primaryDomain: 'contoso-retail.example.com',
    });
    expect(accepted.status).toBe(201);
    const granted = accepted.headers.get('x-event-position');
    const list = await t.request('GET', '/api/v1/clients?search=contoso-retail.example.com', {
      token: admin,
      headers: at(granted),
    });
    expect(list.body.items).toMatchObject([
      {
        clientId: 'tenant-c1',
        name: 'Contoso Retail',
        delegation: { id: accepted.body.delegationId, status: 'active' },
      },
    ]);
    expect(
      (await t.request('GET', '/api/v1/clients/tenant-c1', { token: otherAdmin, headers: at(granted) }))
        .status,
    ).toBe(404);
    expect((await t.request('GET', '/api/v1/clients', { token: otherAdmin })).body.total).toBe(0);

    await t.caughtUp();
    await t.caughtUp(); // the bundled trial is appended by a process manager, then listed
    const details = await t.request('GET', '/api/v1/clients/tenant-c1', { token: admin });
    expect(details.body.subscriptions).toMatchObject([{ productId: 'm365-e3', status: 'trial' }]);

    const role = await t.request('PUT', '/api/v1/partner-users/alice@partner-a/delegated-role', {
      token: admin,
      body: { role: 'full' },
    });
    expect(role.status).toBeLessThan(300);
    const sr = await t.request('POST', '/api/v1/service-requests', {
      token: admin,
      headers: at(role.headers.get('x-event-position'), granted),
      body: {
        clientId: 'tenant-c1',
        title: 'Licences missing',
        description: 'Five E3 licences did not arrive.',
        severity: 'critical',
        contact: { name: 'Ada', email: 'ada@c1.example' },
      },
    });
    expect(sr.status).toBe(201);
    const counted = await t.request('GET', '/api/v1/clients?search=contoso', {
      token: admin,
      headers: at(sr.headers.get('x-event-position')),
    });
    expect(counted.body.items[0].openServiceRequests).toBe(1);
    const requestId = sr.body.id ?? sr.body.requestId;
    const closed = await t.request('POST', `/api/v1/service-requests/${requestId}/status`, {
      token: admin,
      body: { status: 'closed' },
    });
    expect(closed.status).toBeLessThan(300);
    expect(
      (
        await t.request('GET', '/api/v1/clients?search=contoso', {
          token: admin,
          headers: at(closed.headers.get('x-event-position')),
        })
      ).body.items[0].openServiceRequests,
    ).toBe(0);

    const raised = await t.request('POST', '/api/v1/health-issues', {
      token: publisher,
      body: {
        issueId: 'EX9',
        clientIds: ['tenant-c1'],
        service: 'Exchange Online',
        classification: 'incident',
        title: 'Mail delays',
        impactDescription: 'Mail is slow.',
        status: 'investigating',
        startDateTime: '2026-11-21T08:00:00Z',
      },
    });
    const sick = await t.request('GET', '/api/v1/clients?sort=health&health=incident', {
      token: admin,
      headers: at(raised.headers.get('x-event-position')),
    });
    expect(sick.body.items.map((i: { clientId: string }) => i.clientId)).toEqual(['tenant-c1']);
    const fixed = await t.request('POST', '/api/v1/health-issues/EX9/updates', {
      token: publisher,
      body: { status: 'serviceRestored', message: 'Fixed.' },
    });
    expect(
      (
        await t.request('GET', '/api/v1/clients/tenant-c1', {
          token: admin,
          headers: at(fixed.headers.get('x-event-position')),
        })
      ).body.health.status,
    ).toBe('healthy');

    const revoked = await t.request('POST', `/api/v1/delegations/${accepted.body.delegationId}/revoke`, {
      token: clientAdmin,
      body: { reason: 'done' },
    });
    expect(revoked.status).toBe(200);
    expect(
      (
        await t.request('GET', '/api/v1/clients', {
          token: admin,
          headers: at(revoked.headers.get('x-event-position')),
        })
      ).body.total,
    ).toBe(0);
    expect((await t.request('GET', '/api/v1/clients/tenant-c1', { token: admin })).status).toBe(404);
  });
});
