import type { HttpResult, TestApp } from '@dap/testing';

/** Waits (X-Min-Position) for the read models to reach every command position given. */
export const at = (...positions: (string | null)[]) => ({
  'x-min-position': positions.filter(Boolean).join(','),
});

/**
 * A client administrator accepts the offer a partner's `POST /offers` answered with, once consent
 * knows the offer (its position), with a client description at a fixed address.
 */
export function acceptOffer(
  t: TestApp,
  offer: HttpResult,
  clientAdmin: string,
  client: { name: string; primaryDomain: string },
): Promise<HttpResult> {
  const code = new URL(offer.body.acceptUrl).searchParams.get('code');
  return t.request('POST', `/api/v1/offer-links/${offer.body.id}/accept?code=${code}`, {
    token: clientAdmin,
    headers: at(offer.headers.get('x-event-position')),
    body: {
      client: {
        ...client,
        address: { line1: '1 Main St', city: 'Shanghai', postalCode: '200000', country: 'CN' },
      },
    },
  });
}
