import { healthIssueStreamId, type HealthIssueRaised } from '@dap/contracts';
import {
  ConcurrencyError,
  fold,
  type AppendMetadata,
  type EventStore,
  type StreamAppend,
} from '@dap/eventsourcing';
import { healthIssueDecider, type HealthIssueEvent } from '../domain/health-issue.decider.js';

export interface RaiseHealthIssueInput extends Omit<HealthIssueRaised, 'clientId'> {
  clientIds: string[];
}

export interface RaiseHealthIssueResult {
  issueId: string;
  raised: string[];
  unchanged: string[];
  /** Position of the last appended event, or null when nothing changed. */
  globalPosition: number | null;
}

const MAX_ATTEMPTS = 5;

/**
 * Raises one issue for many clients: one stream per (client, issue), all read in one `readStreams`
 * and appended in one atomic `appendToStreams`. Clients that already have the issue are left as they are; a concurrent writer
 * makes the whole command start again (it is safe to repeat).
 */
export async function raiseHealthIssue(
  store: EventStore,
  input: RaiseHealthIssueInput,
  now: Date,
  metadata: AppendMetadata,
): Promise<RaiseHealthIssueResult> {
  const clientIds = [...new Set(input.clientIds)];
  const { clientIds: _ids, ...issue } = input;
  for (let attempt = 1; ; attempt++) {
    const appends: StreamAppend[] = [];
    const raised: string[] = [];
    const unchanged: string[] = [];
    const streamOf = (clientId: string) => healthIssueStreamId(issue.issueId, clientId);
    const streams = await store.readStreams(clientIds.map(streamOf));
    for (const clientId of clientIds) {
      const streamId = streamOf(clientId);
      const history = streams.get(streamId) as unknown as HealthIssueEvent[];
      const state = fold(healthIssueDecider, history);
      const events = healthIssueDecider.decide({ type: 'RaiseHealthIssue', ...issue, clientId }, state, now);
      if (events.length === 0) {
        unchanged.push(clientId);
        continue;
      }
      raised.push(clientId);
      appends.push({ streamId, events, expectedVersion: history.length });
    }
    if (appends.length === 0) return { issueId: issue.issueId, raised, unchanged, globalPosition: null };
    try {
      const result = await store.appendToStreams(appends, { time: now, ...metadata });
      return { issueId: issue.issueId, raised, unchanged, globalPosition: result.globalPosition };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
