import {
  isResolvedHealthStatus,
  type HealthClassification,
  type HealthEventMap,
  type HealthIssueRaised,
  type HealthStatus,
} from '@dap/contracts';
import { notFound, type Decider, type DomainEvent } from '@dap/eventsourcing';

export type HealthIssueEvent = {
  [K in keyof HealthEventMap]: DomainEvent<K, HealthEventMap[K]>;
}[keyof HealthEventMap];

export interface RaiseHealthIssue extends HealthIssueRaised {
  type: 'RaiseHealthIssue';
}
export interface UpdateHealthIssue {
  type: 'UpdateHealthIssue';
  issueId: string;
  clientId: string;
  status: HealthStatus;
  message: string;
}
export type HealthIssueCommand = RaiseHealthIssue | UpdateHealthIssue;

/** One (client, issue) stream. */
export interface HealthIssueState {
  exists: boolean;
  classification?: HealthClassification;
  status?: HealthStatus;
  resolved: boolean;
  lastMessage?: string;
}

const initialState = (): HealthIssueState => ({ exists: false, resolved: false });

function raise(command: RaiseHealthIssue, state: HealthIssueState, now: Date): HealthIssueEvent[] {
  // Re-posting an issue for a client that already has it changes nothing.
  if (state.exists) return [];
  const { type: _type, ...data } = command;
  const raised: HealthIssueEvent = { type: 'HealthIssueRaised', data };
  if (!isResolvedHealthStatus(command.status)) return [raised];
  // Published already over (a back-filled issue): raised and resolved at once.
  const endDateTime = now.toISOString();
  return [
    raised,
    {
      type: 'HealthIssueResolved',
      data: { issueId: command.issueId, clientId: command.clientId, status: command.status, endDateTime },
    },
  ];
}

function update(command: UpdateHealthIssue, state: HealthIssueState, now: Date): HealthIssueEvent[] {
  if (!state.exists) throw notFound('health issue');
  const { issueId, clientId, status, message } = command;
  // The same update posted again changes nothing.
  if (status === state.status && message === state.lastMessage) return [];
  if (isResolvedHealthStatus(status) && !state.resolved) {
    return [
      {
        type: 'HealthIssueResolved',
        data: { issueId, clientId, status, endDateTime: now.toISOString(), message },
      },
    ];
  }
  // Progress on an active issue, a later status of a resolved one, or a reopening (an active status again).
  return [{ type: 'HealthIssueUpdated', data: { issueId, clientId, status, message } }];
}

export const healthIssueDecider: Decider<HealthIssueCommand, HealthIssueEvent, HealthIssueState> = {
  initialState,
  decide(command, state, now) {
    return command.type === 'RaiseHealthIssue' ? raise(command, state, now) : update(command, state, now);
  },
  evolve(state, event) {
    switch (event.type) {
      case 'HealthIssueRaised':
        return {
          exists: true,
          classification: event.data.classification,
          status: event.data.status,
          resolved: isResolvedHealthStatus(event.data.status),
        };
      case 'HealthIssueUpdated':
        return {
          ...state,
          status: event.data.status,
          resolved: isResolvedHealthStatus(event.data.status),
          lastMessage: event.data.message,
        };
      case 'HealthIssueResolved':
        return {
          ...state,
          status: event.data.status,
          resolved: true,
          lastMessage: event.data.message ?? state.lastMessage,
        };
      default:
        return state;
    }
  },
};
