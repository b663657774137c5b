import type { EventEnvelope } from '@dap/contracts';
import { fold, type Decider, type DomainEvent } from './decider.js';
import { ConcurrencyError, DomainError } from './errors.js';
import type { AppendMetadata, EventStore } from './event-store.js';

export interface CommandOptions {
  now: Date;
  metadata: AppendMetadata;
  /** From If-Match: the stream must still be at this version (412 otherwise). */
  expectedVersion?: number;
  /** Retry on a concurrent change only when the command is safe to repeat (default: no retry). */
  retryOnConflict?: boolean;
  /** The stream must already exist (404 otherwise), e.g. commands on an offer. */
  mustExist?: string;
  /**
   * The caller knows the stream to be empty: it drew the id just now (a random UUID), or has just read
   * the stream and found nothing. It is not read (again); the append still expects no stream, so one
   * created meanwhile fails the append as a conflict, it is never joined.
   */
  newStream?: boolean;
}

export interface CommandResult<S> {
  state: S;
  newEvents: EventEnvelope[];
  streamVersion: number;
  /** Position of the stream's last event after the command (its existing one when nothing changed; null for no stream). */
  globalPosition: number | null;
  /** The whole stream after the command: the events read, then the new ones (a command can answer from them). */
  stream: EventEnvelope[];
}

const MAX_ATTEMPTS = 5;

/** The one generic handler: read the stream, fold, decide, append with the expected version. */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: CommandOptions,
): Promise<CommandResult<S>> {
  for (let attempt = 1; ; attempt++) {
    const history = options.newStream && attempt === 1 ? [] : await store.readStream(streamId);
    const version = history.length === 0 ? 0 : history[history.length - 1].streamVersion;
    if (options.mustExist && version === 0)
      throw new DomainError('not-found', `${options.mustExist} not found`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new DomainError(
        'precondition-failed',
        `${streamId} is at version ${version}, If-Match said ${options.expectedVersion}`,
      );
    }
    const state = fold(decider, history as unknown as E[]);
    const events = decider.decide(command, state, options.now);
    if (events.length === 0)
      return {
        state,
        newEvents: [],
        streamVersion: version,
        globalPosition: history.at(-1)?.globalPosition ?? null,
        stream: history,
      };
    try {
      const result = await store.appendToStream(streamId, events, version, {
        time: options.now,
        ...options.metadata,
      });
      return {
        state: events.reduce(decider.evolve, state),
        newEvents: result.events,
        streamVersion: result.streamVersion,
        globalPosition: result.globalPosition,
        stream: history.concat(result.events),
      };
    } catch (error) {
      const retry =
        error instanceof ConcurrencyError && options.retryOnConflict && options.expectedVersion === undefined;
      if (!retry || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
