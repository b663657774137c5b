import type { ClientAddress, SubscriptionStatus } from '@dap/contracts';

interface Target {
  partnerId: string;
  clientId: string;
}

/** PATCH /clients/{id}: only the fields present change. */
export interface UpdateProfile extends Target {
  type: 'UpdateProfile';
  name?: string;
  address?: ClientAddress;
  tags?: string[];
  by: string;
}

export interface SubscriptionSpec {
  subscriptionId: string;
  productId: string;
  name: string;
  quantity: number;
  status: SubscriptionStatus;
}

/** PUT /clients/{id}/subscriptions/{subscriptionId}: creates or replaces it. */
export interface PutSubscription extends Target, SubscriptionSpec {
  type: 'PutSubscription';
}

/** DELETE /clients/{id}/subscriptions/{subscriptionId}. */
export interface RemoveSubscription extends Target {
  type: 'RemoveSubscription';
  subscriptionId: string;
}

/** From the process manager: a trial or purchase bundled with an accepted offer. Once per id, ever. */
export interface ProvisionBundledSubscription extends Target, SubscriptionSpec {
  type: 'ProvisionBundledSubscription';
  delegationId: string;
}

export type ClientProfileCommand =
  | UpdateProfile
  | PutSubscription
  | RemoveSubscription
  | ProvisionBundledSubscription;
