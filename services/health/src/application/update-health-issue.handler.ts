import { healthIssueStreamId, type HealthStatus } from '@dap/contracts';
import {
  ConcurrencyError,
  fold,
  notFound,
  type AppendMetadata,
  type EventStore,
  type StreamAppend,
} from '@dap/eventsourcing';
import { healthIssueDecider, type HealthIssueEvent } from '../domain/health-issue.decider.js';

export interface UpdateHealthIssueInput {
  issueId: string;
  status: HealthStatus;
  message: string;
  /** The clients the update is for; all clients that have the issue when absent. */
  clientIds: string[];
}

export interface UpdateHealthIssueResult {
  issueId: string;
  updated: string[];
  resolved: string[];
  unchanged: string[];
  /** Clients named in the request that do not have this issue. */
  unknownClients: string[];
  globalPosition: number | null;
}

const MAX_ATTEMPTS = 5;

/** Updates (or resolves) one issue for the given clients, atomically; 404 when none has it. */
export async function updateHealthIssue(
  store: EventStore,
  input: UpdateHealthIssueInput,
  now: Date,
  metadata: AppendMetadata,
): Promise<UpdateHealthIssueResult> {
  const clientIds = [...new Set(input.clientIds)];
  for (let attempt = 1; ; attempt++) {
    const result: UpdateHealthIssueResult = {
      issueId: input.issueId,
      updated: [],
      resolved: [],
      unchanged: [],
      unknownClients: [],
      globalPosition: null,
    };
    const appends: StreamAppend[] = [];
    const streamOf = (clientId: string) => healthIssueStreamId(input.issueId, clientId);
    const streams = await store.readStreams(clientIds.map(streamOf));
    for (const clientId of clientIds) {
      const streamId = streamOf(clientId);
      const history = streams.get(streamId) as unknown as HealthIssueEvent[];
      if (history.length === 0) {
        result.unknownClients.push(clientId);
        continue;
      }
      const state = fold(healthIssueDecider, history);
      const { issueId, status, message } = input;
      const events = healthIssueDecider.decide(
        { type: 'UpdateHealthIssue', issueId, clientId, status, message },
        state,
        now,
      );
      if (events.length === 0) result.unchanged.push(clientId);
      else {
        (events.some((e) => e.type === 'HealthIssueResolved') ? result.resolved : result.updated).push(
          clientId,
        );
        appends.push({ streamId, events, expectedVersion: history.length });
      }
    }
    if (result.unknownClients.length === clientIds.length) throw notFound('health issue');
    if (appends.length === 0) return result;
    try {
      result.globalPosition = (
        await store.appendToStreams(appends, { time: now, ...metadata })
      ).globalPosition;
      return result;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
