import type { ClientAddress, SubscriptionPayload } from '@dap/contracts';

/** What the partner changed on top of the snapshot taken at acceptance, and the subscriptions. */
export interface ClientProfileState {
  name?: string;
  address?: ClientAddress;
  tags: string[];
  subscriptions: Record<string, SubscriptionPayload>;
  /** Every subscription id this profile ever had, removed ones included (bundles are provisioned once). */
  knownSubscriptionIds: string[];
}

export const initialClientProfileState = (): ClientProfileState => ({
  tags: [],
  subscriptions: {},
  knownSubscriptionIds: [],
});
