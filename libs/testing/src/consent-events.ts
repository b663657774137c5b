import { createHash } from 'node:crypto';

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
