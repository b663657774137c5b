import { devToken, type Reply, type Request } from './http-client.js';

export interface DelegatedPartner {
  partnerId: string;
  clientId: string;
  offerId: string;
  /** partner.admin of the partner. */
  admin: string;
  /** partner.agent holding the delegated role `full` on the client. */
  agent: string;
  /** X-Min-Position after which the agent may act on the client everywhere. */
  ready: string;
}

const address = { line1: '1 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' };

/**
 * Through the public API only: a partner offers, a client accepts, the partner admin gives its agent
 * the delegated role `full`. Throws with the answer when a step is refused.
 */
export async function delegatedPartner(request: Request, partnerId: string, clientId: string) {
  const admin = await devToken(`admin@${partnerId}`, partnerId, ['partner.admin']);
  const agent = await devToken(`agent@${partnerId}`, partnerId, ['partner.agent']);
  const clientAdmin = await devToken(`admin@${clientId}`, clientId, ['client.admin']);
  const must = async (step: string, status: number, reply: Promise<Reply>) => {
    const r = await reply;
    if (r.status !== status) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const offer = await must(
    'create offer',
    201,
    request('POST', '/api/v1/offers', { token: admin, body: { grantedRoles: ['full', 'limited'] } }),
  );
  const code = new URL(offer.body.acceptUrl).searchParams.get('code')!;
  await must(
    'accept offer',
    201,
    request('POST', `/api/v1/offer-links/${offer.body.id}/accept?code=${code}`, {
      token: clientAdmin,
      body: { client: { name: `Client ${clientId}`, primaryDomain: `${clientId}.example`, address } },
      headers: { 'x-min-position': offer.headers.get('x-event-position')! },
    }),
  );
  const role = await must(
    'assign role',
    200,
    request('PUT', `/api/v1/partner-users/agent@${partnerId}/delegated-role`, {
      token: admin,
      body: { role: 'full' },
    }),
  );
  return {
    partnerId,
    clientId,
    offerId: offer.body.id as string,
    admin,
    agent,
    ready: role.headers.get('x-event-position')!,
  } satisfies DelegatedPartner;
}
