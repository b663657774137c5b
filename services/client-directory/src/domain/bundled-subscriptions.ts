import type { DelegationGranted } from '@dap/contracts';
import type { ProvisionBundledSubscription } from './client-profile.commands.js';

/** Seats a bundled trial comes with (the usual size of a Microsoft 365 trial). */
export const TRIAL_SEATS = 25;

/** The subscriptions an accepted offer brings with it: one per bundled trial or purchase. */
export function bundledSubscriptions(granted: DelegationGranted): ProvisionBundledSubscription[] {
  const { partnerId, clientId, delegationId, includes } = granted;
  const base = { type: 'ProvisionBundledSubscription' as const, partnerId, clientId, delegationId };
  const out: ProvisionBundledSubscription[] = [];
  if (includes?.trial) {
    const { productId } = includes.trial;
    out.push({
      ...base,
      subscriptionId: `${delegationId}-trial`,
      productId,
      name: `${productId} (trial)`,
      quantity: TRIAL_SEATS,
      status: 'trial',
    });
  }
  if (includes?.purchase) {
    const { productId, quantity } = includes.purchase;
    out.push({
      ...base,
      subscriptionId: `${delegationId}-purchase`,
      productId,
      name: productId,
      quantity,
      status: 'active',
    });
  }
  return out;
}
