import type { ClientAddress } from './consent.events.js';

/** A partner corrected a client's profile; only the fields it changed are present. */
export interface ClientProfileUpdated {
  clientId: string;
  partnerId: string;
  name?: string;
  address?: ClientAddress;
  tags?: string[];
  updatedBy: string;
}

export type SubscriptionStatus = 'active' | 'trial' | 'suspended';

export interface SubscriptionPayload {
  clientId: string;
  partnerId: string;
  subscriptionId: string;
  productId: string;
  name: string;
  quantity: number;
  status: SubscriptionStatus;
  /** Set when the subscription came bundled with an accepted offer (trial or purchase). */
  delegationId?: string;
}

export type SubscriptionAdded = SubscriptionPayload;
export type SubscriptionChanged = SubscriptionPayload;
export type SubscriptionRemoved = SubscriptionPayload;

export interface ClientDirectoryEventMap {
  ClientProfileUpdated: ClientProfileUpdated;
  SubscriptionAdded: SubscriptionAdded;
  SubscriptionChanged: SubscriptionChanged;
  SubscriptionRemoved: SubscriptionRemoved;
}

/** Stream of one client's profile as one partner keeps it. */
export const clientProfileStreamId = (partnerId: string, clientId: string): string =>
  `client-${partnerId}:${clientId}`;
