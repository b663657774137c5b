import { createHash } from 'node:crypto';
import type { EventStore } from '@dap/eventsourcing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stable UUID for a readable test id (`d1` is always the same UUID); UUIDs pass through. */
export const testUuid = (name: string): string => {
  if (UUID.test(name)) return name;
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const DEFAULTS: Record<string, (d: Record<string, any>) => Record<string, unknown>> = {
  DelegationGranted: (d) => ({
    offerId: testUuid('offer'),
    grantedRoles: ['full', 'limited'],
    grantedBy: `admin@${d.clientId}`,
    grantedAt: '2026-11-21T08:00:00.000Z',
    expiresAt: null,
    delegationDuration: null,
    autoExtend: false,
    client: {
      name: `Client ${d.clientId}`,
      primaryDomain: `${d.clientId}.example`,
      address: { line1: '1 Main St', city: 'Shanghai', postalCode: '200000', country: 'CN' },
    },
    includes: {},
  }),
  DelegationRevoked: (d) => ({ revokedBy: `admin@${d.clientId}`, side: 'client' }),
  DelegationExpired: () => ({ expiredAt: '2026-11-22T00:00:00.000Z' }),
  RoleAssigned: (d) => ({ previousRole: null, assignedBy: `admin@${d.partnerId}` }),
  RoleRevoked: (d) => ({ revokedBy: `admin@${d.partnerId}` }),
};

/**
 * A consent event payload as the consent service publishes it, for tests of other services that
 * append consent events themselves: missing required fields get realistic defaults and a readable
 * delegation id becomes a stable UUID, so the payload matches the published JSON Schema.
 */
export function consentEventData(type: string, data: Record<string, any>): Record<string, unknown> {
  const completed = { ...DEFAULTS[type]?.(data), ...data };
  if (typeof completed.delegationId === 'string') completed.delegationId = testUuid(completed.delegationId);
  return completed;
}

/**
 * Appends a `DelegationGranted` to a consent store as the consent service would (for tests of other
 * services that learn delegations from its events). Returns the delegation and its X-Min-Position token.
 */
export async function grantDelegation(
  consent: EventStore,
  partnerId: string,
  clientId: string,
  name: string,
  primaryDomain: string,
  extra: object = {},
) {
  const delegationId = testUuid(`${partnerId}-${clientId}-${Math.random().toString(36).slice(2, 8)}`);
  const data = {
    delegationId,
    partnerId,
    clientId,
    offerId: 'offer-1',
    grantedRoles: ['full', 'limited'],
    grantedBy: `admin@${primaryDomain}`,
    grantedAt: '2026-11-21T08:00:00.000Z',
    expiresAt: null,
    delegationDuration: null,
    autoExtend: false,
    client: {
      name,
      primaryDomain,
      address: { line1: '1 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' },
    },
    includes: {},
    ...extra,
  };
  const r = await consent.appendToStream(
    `delegation-${delegationId}`,
    [{ type: 'DelegationGranted', data: consentEventData('DelegationGranted', data) }],
    'any',
    { actor: { id: `admin@${primaryDomain}` }, partnerId },
  );
  return { delegationId, partnerId, clientId, position: `consent:${r.globalPosition}` };
}
