import type { ApiClient } from './api-client.js';
import { agentId, agentTokens, acceptingClientId, clientAdminTokens } from './bench-tokens.js';
import { clientIdOf } from './client-population.js';
import type { RequestSpec } from './http-load.js';

/** The per-offer acceptance limit is 60 a minute (not configurable): the suite uses each offer 50 times. */
export const ACCEPTS_PER_OFFER = 50;

const random = (count: number) => 1 + Math.floor(Math.random() * count);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Partner users with a full delegated role (PUT /partner-users/{id}/delegated-role), and their tokens. */
export async function preparedAgents(api: ApiClient, adminToken: string, count: number): Promise<string[]> {
  for (let k = 0; k < count; k++)
    await api.ok(
      'PUT',
      `/api/v1/partner-users/${encodeURIComponent(agentId(k))}/delegated-role`,
      adminToken,
      {
        role: 'full',
      },
    );
  return agentTokens(count);
}

/** POST /service-requests by the agents in turn, each on a random seeded client. */
export function serviceRequests(
  tokens: string[],
  clients: number,
  clientOf?: () => string,
): () => RequestSpec {
  let k = 0;
  return () => ({
    method: 'POST',
    path: '/api/v1/service-requests',
    headers: bearer(tokens[k++ % tokens.length]),
    body: JSON.stringify({
      clientId: clientOf ? clientOf() : clientIdOf(random(clients)),
      title: 'Mailbox quota raised',
      description: 'Please raise the quota of the shared mailbox.',
      severity: 'moderate',
      contact: { name: 'Bench Agent', email: 'agent@bench.example' },
    }),
  });
}

/**
 * Role flips: PUT /partner-users/{id}/delegated-role over `users` users in turn, each visit setting
 * the other role (full, limited, full, ...), so every request records a RoleAssigned event.
 * `round` carries across load levels so that the alternation continues.
 */
export function roleFlips(adminToken: string, users: number, state = { n: 0 }): () => RequestSpec {
  return () => {
    const n = state.n++;
    const role = Math.floor(n / users) % 2 === 0 ? 'full' : 'limited';
    return {
      method: 'PUT',
      path: `/api/v1/partner-users/${encodeURIComponent(`flip-${n % users}@bench`)}/delegated-role`,
      headers: bearer(adminToken),
      body: JSON.stringify({ role }),
    };
  };
}

/**
 * Acceptances by distinct client administrators: creates ceil(capacity / 50) offers (POST /offers),
 * waits until consent knows them, mints one client.admin token per acceptance, and hands out
 * POST /offer-links/{id}/accept?code=… requests, 50 per offer, until `capacity` is used up.
 */
export async function acceptances(
  api: ApiClient,
  adminToken: string,
  capacity: number,
  firstClient: number,
): Promise<() => RequestSpec> {
  const offers: { id: string; code: string }[] = [];
  const wanted = Math.ceil(capacity / ACCEPTS_PER_OFFER);
  while (offers.length < wanted) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, wanted - offers.length) }, () =>
        api.ok<{ id: string; acceptUrl: string }>('POST', '/api/v1/offers', adminToken, {
          grantedRoles: ['limited'],
        }),
      ),
    );
    for (const o of batch) offers.push({ id: o.id, code: new URL(o.acceptUrl).searchParams.get('code')! });
  }
  await api.settle();
  const tokens = await clientAdminTokens(firstClient, capacity);
  let i = 0;
  return () => {
    const k = Math.min(i++, capacity - 1);
    const offer = offers[Math.floor(k / ACCEPTS_PER_OFFER)];
    const n = firstClient + k;
    return {
      method: 'POST',
      path: `/api/v1/offer-links/${offer.id}/accept?code=${offer.code}`,
      headers: bearer(tokens[k]),
      body: JSON.stringify(acceptBody(n)),
    };
  };
}

/** The body of the `n`th acceptance: a new client with its address. */
export const acceptBody = (n: number) => ({
  client: {
    name: `Accepting Client ${n}`,
    primaryDomain: `${acceptingClientId(n)}.example`,
    address: { line1: '1 Bench Road', city: 'Lyon', postalCode: '69001', country: 'FR' },
  },
});
