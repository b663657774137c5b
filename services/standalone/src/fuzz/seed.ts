import type { HttpResult, TestApp } from '@dap/testing';
import { signJwt } from './tokens.js';

const now = () => Math.floor(Date.now() / 1000);
const token = (sub: string, tid: string, roles: string[]) =>
  signJwt({ sub, tid, roles, iat: now(), exp: now() + 3600 });

/**
 * Valid data through the public API, so that real ids exist for the fuzzed paths: partner-a's offer
 * with a trial, accepted by tenant-c1 (a delegation), a full role for partner-a's agent, a service
 * request, a health issue on the client and a subscription. Returns the ids.
 */
export type SeedIds = Record<
  'offer' | 'code' | 'delegation' | 'client' | 'user' | 'request' | 'issue' | 'subscription' | 'partner',
  string
>;

/** Field values that name seeded data, so that valid bodies pass the domain's checks too. */
export const SEEDED_FIELDS: Record<string, unknown> = { clientId: 'tenant-c1', clientIds: ['tenant-c1'] };

export async function seed(t: TestApp): Promise<SeedIds> {
  const admin = token('alice@partner-a', 'partner-a', ['partner.admin']);
  const agent = token('agent@partner-a', 'partner-a', ['partner.agent']);
  const client = token('admin@tenant-c1', 'tenant-c1', ['client.admin']);
  const publisher = token('feed', 'platform', ['platform.health-publisher']);
  const ok = async (what: string, promise: Promise<HttpResult>) => {
    const res = await promise;
    if (res.status >= 300) throw new Error(`seeding ${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const at = (res: { headers: Headers }) => ({ 'x-min-position': res.headers.get('x-event-position') ?? '' });

  const offer = await ok(
    'an offer',
    t.request('POST', '/api/v1/offers', {
      token: admin,
      body: { grantedRoles: ['full', 'limited'], includes: { trial: { productId: 'm365-e3' } } },
    }),
  );
  const code = new URL(offer.body.acceptUrl).searchParams.get('code')!;
  const accepted = await ok(
    'an acceptance',
    t.request('POST', `/api/v1/offer-links/${offer.body.id}/accept?code=${encodeURIComponent(code)}`, {
      token: client,
      headers: at(offer),
      body: {
        client: {
          name: 'Contoso Retail',
          primaryDomain: 'contoso-retail.example.com',
          address: { line1: '1 Main St', city: 'Shanghai', postalCode: '200000', country: 'CN' },
        },
      },
    }),
  );
  const role = await ok(
    'a delegated role',
    t.request('PUT', '/api/v1/partner-users/agent@partner-a/delegated-role', {
      token: admin,
      body: { role: 'full' },
    }),
  );
  const request = await ok(
    'a service request',
    t.request('POST', '/api/v1/service-requests', {
      token: agent,
      headers: { 'x-min-position': [accepted, role].map((r) => r.headers.get('x-event-position')).join(',') },
      body: {
        clientId: 'tenant-c1',
        title: 'Mailbox full',
        description: 'The shared mailbox is full.',
        severity: 'moderate',
        contact: { name: 'Ann', email: 'ann@contoso-retail.example.com' },
      },
    }),
  );
  await ok(
    'a health issue',
    t.request('POST', '/api/v1/health-issues', {
      token: publisher,
      headers: at(accepted),
      body: {
        issueId: 'EX1001',
        clientIds: ['tenant-c1'],
        service: 'Exchange Online',
        classification: 'incident',
        title: 'Mail delivery delays',
        impactDescription: 'Users may see delays.',
        status: 'investigating',
        startDateTime: new Date().toISOString(),
      },
    }),
  );
  await ok(
    "the admin's own role",
    t.request('PUT', '/api/v1/partner-users/alice@partner-a/delegated-role', {
      token: admin,
      body: { role: 'full' },
    }),
  );
  await t.caughtUp();
  await ok(
    'a subscription',
    t.request('PUT', '/api/v1/clients/tenant-c1/subscriptions/sub-1', {
      token: admin,
      body: { productId: 'm365-e5', name: 'Microsoft 365 E5', quantity: 5, status: 'active' },
    }),
  );
  return {
    offer: offer.body.id,
    code,
    delegation: accepted.body.delegationId,
    client: 'tenant-c1',
    user: 'agent@partner-a',
    request: request.body.id,
    issue: 'EX1001',
    subscription: 'sub-1',
    partner: 'partner-a',
  };
}

/** The seeded id a path parameter most likely names, from the path's resource. */
export function realIdFor(path: string, param: string, ids: SeedIds): string {
  if (param === 'subscriptionId') return ids.subscription;
  if (param === 'clientId') return ids.client;
  if (param === 'userId') return ids.user;
  if (param === 'issueId') return ids.issue;
  if (path.includes('/delegations/')) return ids.delegation;
  if (path.includes('/service-requests/')) return ids.request;
  return ids.offer;
}
