import { invalid, notFound, type Decider } from '@dap/eventsourcing';
import type { SubscriptionPayload } from '@dap/contracts';
import type {
  ClientProfileCommand,
  PutSubscription,
  ProvisionBundledSubscription,
  RemoveSubscription,
  UpdateProfile,
} from './client-profile.commands.js';
import type { ClientProfileEvent } from './client-profile.events.js';
import { initialClientProfileState, type ClientProfileState } from './client-profile.state.js';
import {
  checkAddress,
  checkSubscription,
  normalizeName,
  normalizeTags,
  sameJson,
} from './client-profile.rules.js';

function updateProfile(command: UpdateProfile, state: ClientProfileState): ClientProfileEvent[] {
  if (command.name === undefined && command.address === undefined && command.tags === undefined) {
    throw invalid('nothing to change: give name, address or tags');
  }
  const name = command.name === undefined ? undefined : normalizeName(command.name);
  const address = command.address === undefined ? undefined : checkAddress(command.address);
  const tags = command.tags === undefined ? undefined : normalizeTags(command.tags);
  const changed = {
    ...(name !== undefined && name !== state.name && { name }),
    ...(address !== undefined && !sameJson(address, state.address) && { address }),
    ...(tags !== undefined && !sameJson(tags, state.tags) && { tags }),
  };
  if (Object.keys(changed).length === 0) return [];
  return [
    {
      type: 'ClientProfileUpdated',
      data: { clientId: command.clientId, partnerId: command.partnerId, ...changed, updatedBy: command.by },
    },
  ];
}

function payloadOf(command: PutSubscription | ProvisionBundledSubscription): SubscriptionPayload {
  const { partnerId, clientId, subscriptionId, productId, name, quantity, status } = command;
  return {
    clientId,
    partnerId,
    subscriptionId,
    productId,
    name: name.trim(),
    quantity,
    status,
    ...(command.type === 'ProvisionBundledSubscription' && { delegationId: command.delegationId }),
  };
}

function putSubscription(command: PutSubscription, state: ClientProfileState): ClientProfileEvent[] {
  checkSubscription(command);
  const current = state.subscriptions[command.subscriptionId];
  const next = payloadOf(command);
  if (!current) return [{ type: 'SubscriptionAdded', data: next }];
  const merged = { ...next, ...(current.delegationId && { delegationId: current.delegationId }) };
  return sameJson(merged, current) ? [] : [{ type: 'SubscriptionChanged', data: merged }];
}

function removeSubscription(command: RemoveSubscription, state: ClientProfileState): ClientProfileEvent[] {
  const current = state.subscriptions[command.subscriptionId];
  if (!current) throw notFound(`subscription ${command.subscriptionId}`);
  return [{ type: 'SubscriptionRemoved', data: current }];
}

function provision(command: ProvisionBundledSubscription, state: ClientProfileState): ClientProfileEvent[] {
  if (state.knownSubscriptionIds.includes(command.subscriptionId)) return [];
  checkSubscription(command);
  return [{ type: 'SubscriptionAdded', data: payloadOf(command) }];
}

/**
 * One client's profile as one partner keeps it (stream `client-<partnerId>:<clientId>`): the partner's
 * corrections to the snapshot taken at acceptance, its tags, and the client's subscriptions.
 */
export const clientProfileDecider: Decider<ClientProfileCommand, ClientProfileEvent, ClientProfileState> = {
  initialState: initialClientProfileState,
  decide(command, state) {
    switch (command.type) {
      case 'UpdateProfile':
        return updateProfile(command, state);
      case 'PutSubscription':
        return putSubscription(command, state);
      case 'RemoveSubscription':
        return removeSubscription(command, state);
      case 'ProvisionBundledSubscription':
        return provision(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ClientProfileUpdated': {
        const { name, address, tags } = event.data;
        return {
          ...state,
          ...(name !== undefined && { name }),
          ...(address !== undefined && { address }),
          ...(tags !== undefined && { tags }),
        };
      }
      case 'SubscriptionAdded':
      case 'SubscriptionChanged': {
        const id = event.data.subscriptionId;
        const known = state.knownSubscriptionIds.includes(id)
          ? state.knownSubscriptionIds
          : [...state.knownSubscriptionIds, id];
        return {
          ...state,
          subscriptions: { ...state.subscriptions, [id]: event.data },
          knownSubscriptionIds: known,
        };
      }
      case 'SubscriptionRemoved': {
        const { [event.data.subscriptionId]: _removed, ...rest } = state.subscriptions;
        return { ...state, subscriptions: rest };
      }
      default:
        return state;
    }
  },
};
