import { DEV_JWT_SECRET, mintToken } from '@dap/platform';
import { PARTNER } from './client-population.js';

/** Development tokens the standalone accepts by default, minted before any load starts. */
const token = (sub: string, tid: string, roles: string[]) =>
  mintToken(DEV_JWT_SECRET, { sub, tid, roles }, '2h');

export const partnerAdminToken = () => token(`admin@${PARTNER}`, PARTNER, ['partner.admin']);
export const healthPublisherToken = () =>
  token('publisher@platform', 'platform', ['platform.health-publisher']);

/** Partner users (`agent-<k>@bench`) acting on clients under their delegated role. */
export const agentId = (k: number) => `agent-${k}@${PARTNER}`;
export const agentTokens = (count: number) =>
  Promise.all(Array.from({ length: count }, (_, k) => token(agentId(k), PARTNER, ['partner.agent'])));

/** Administrators of not-yet-seeded client tenants (`accept-client-<n>`), one per acceptance. */
export const acceptingClientId = (n: number) => `accept-client-${String(n).padStart(6, '0')}`;
export const clientAdminTokens = (from: number, count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, k) =>
      token(`admin@${acceptingClientId(from + k)}`, acceptingClientId(from + k), ['client.admin']),
    ),
  );
