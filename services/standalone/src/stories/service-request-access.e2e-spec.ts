import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsentModule } from '@dap/consent';
import { HealthModule } from '@dap/health';
import { OfferModule } from '@dap/offer';
import { startTestApp, type TestApp } from '@dap/testing';
import { acceptOffer, at } from './story-steps.js';
import { ServiceRequestModule } from '@dap/service-request';

/**
 * The whole path through the real consent API: a partner's offer is accepted by a client, a partner
 * admin assigns a delegated role, and only then may a partner user open a service request and see
 * the client's health; revoking the delegation takes both away again.
 */
describe('delegated access through the consent API', () => {
  let t: TestApp;
  let admin: string;
  let agent: string;
  let otherPartner: string;
  let clientAdmin: string;
  let publisher: string;

  const openRequest = (headers: Record<string, string>) =>
    t.request('POST', '/api/v1/service-requests', {
      token: agent,
      headers,
      body: {
        clientId: 'tenant-c1',
        title: 'Licences missing',
        description: 'Five E3 licences did not arrive.',
        severity: 'critical',
        contact: { name: 'Ada', email: 'ada@c1.example' },
      },
    });

  beforeAll(async () => {
    t = await startTestApp([OfferModule, ConsentModule, HealthModule, ServiceRequestModule]);
    admin = await t.token('alice@partner-a', 'partner-a', ['partner.admin']);
    agent = await t.token('carol@partner-a', 'partner-a', ['partner.agent']);
    otherPartner = await t.token('bob@partner-b', 'partner-b', ['partner.admin', 'partner.agent']);
    clientAdmin = await t.token('admin@tenant-c1', 'tenant-c1', ['client.admin']);
    publisher = await t.token('health-feed', 'platform', ['platform.health-publisher']);
  });
  afterAll(async () => t.close());

  it('refuses a service request until delegation and role exist, and again after revocation', async () => {
    const none = await openRequest({});
    expect(none.status).toBe(403);
    expect(none.body.reason).toBe('no-delegation');

    const offer = await t.request('POST', '/api/v1/offers', {
      token: admin,
      body: { grantedRoles: ['limited'] },
    });
    expect(offer.status).toBe(201);
    const accepted = await acceptOffer(t, offer, clientAdmin, {
      name: 'Contoso',
      primaryDomain: 'contoso.example.com',
    });
    expect(accepted.status).toBe(201);
    const delegationId = accepted.body.delegationId;

    const noRole = await openRequest(at(accepted.headers.get('x-event-position')));
    expect(noRole.status).toBe(403);
    expect(noRole.body.reason).toBe('no-role');

    const role = await t.request('PUT', '/api/v1/partner-users/carol@partner-a/delegated-role', {
      token: admin,
      body: { role: 'full' },
    });
    expect(role.status).toBe(200);
    const created = await openRequest(at(role.headers.get('x-event-position')));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientId: 'tenant-c1', partnerId: 'partner-a', status: 'open' });

    // The client's health is now visible to the partner, and to no other partner.
    const raised = await t.request('POST', '/api/v1/health-issues', {
      token: publisher,
      body: {
        issueId: 'MO9',
        clientIds: ['tenant-c1'],
        service: 'Microsoft 365 suite',
        classification: 'advisory',
        title: 'Sign-in prompts',
        impactDescription: 'Extra MFA prompts',
        status: 'serviceDegradation',
        startDateTime: '2026-11-21T07:00:00Z',
      },
    });
    const seen = at(`${raised.headers.get('x-event-position')},${role.headers.get('x-event-position')}`);
    const health = await t.request('GET', '/api/v1/health-issues?clientId=tenant-c1', {
      token: agent,
      headers: seen,
    });
    expect(health.body.items.map((i: any) => i.issueId)).toEqual(['MO9']);
    expect(
      (
        await t.request('GET', '/api/v1/health-issues?clientId=tenant-c1', {
          token: otherPartner,
          headers: seen,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request('GET', `/api/v1/service-requests/${created.body.id}`, { token: otherPartner })).status,
    ).toBe(404);

    const revoked = await t.request('POST', `/api/v1/delegations/${delegationId}/revoke`, {
      token: clientAdmin,
      body: { reason: 'contract ended' },
    });
    expect(revoked.status).toBe(200);
    const after = await openRequest(at(revoked.headers.get('x-event-position')));
    expect(after.status).toBe(403);
    expect(after.body.reason).toBe('delegation-revoked');
    expect(
      (
        await t.request('GET', '/api/v1/health-issues?clientId=tenant-c1', {
          token: agent,
          headers: at(revoked.headers.get('x-event-position')),
        })
      ).status,
    ).toBe(404);
    // The client still reads its own service requests.
    const own = await t.request('GET', '/api/v1/service-requests', {
      token: clientAdmin,
      headers: at(created.headers.get('x-event-position')),
    });
    expect(own.body.items.map((r: any) => r.id)).toEqual([created.body.id]);
  });
});
