import type { EventStore } from '@dap/eventsourcing';
import { fold } from '@dap/eventsourcing';
import {
  delegationDecider,
  type DelegationEvent,
  type DelegationState,
} from '../domain/delegation.decider.js';
import { delegationIdFor, delegationStream } from './delegation-streams.js';

export interface LoadedDelegation {
  delegationId: string;
  state: DelegationState;
  version: number;
  /** Global position of the stream's last event (0 when it does not exist). */
  lastPosition: number;
}

export async function loadDelegation(store: EventStore, delegationId: string): Promise<LoadedDelegation> {
  const events = await store.readStream(delegationStream(delegationId));
  return {
    delegationId,
    state: fold(delegationDecider, events as unknown as DelegationEvent[]),
    version: events.length ? events[events.length - 1].streamVersion : 0,
    lastPosition: events.length ? events[events.length - 1].globalPosition : 0,
  };
}

/**
 * The pair's current delegation (the last generation that exists), and the id the next one would
 * take. Reads the event streams, so it is never behind a read model.
 */
export async function currentDelegation(
  store: EventStore,
  partnerId: string,
  clientId: string,
): Promise<{ current: LoadedDelegation | null; nextId: string }> {
  let current: LoadedDelegation | null = null;
  for (let generation = 1; ; generation++) {
    const id = delegationIdFor(partnerId, clientId, generation);
    const loaded = await loadDelegation(store, id);
    if (loaded.version === 0) return { current, nextId: id };
    current = loaded;
  }
}
