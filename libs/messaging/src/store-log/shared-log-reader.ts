import type { EventEnvelope } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';

/** What a consumer loop needs from a store: its global log and a wake-up on appends. */
export type StoreLog = Pick<EventStore, 'readAll' | 'onAppended'>;

/**
 * One reader of a store's global log for every consumer of a process. A read returns settled events
 * only, with nothing missing between `after` and its last event, so the reader keeps the newest run
 * of them (`from` exclusive, up to the last event, `keep` to twice that many events) and answers any consumer
 * inside that run from memory. All consumers of a store wake on the same append at the same
 * position: identical reads in flight share one query. A consumer further behind than the run reads
 * the store itself.
 */
export class SharedLogReader implements StoreLog {
  private from = 0;
  private events: EventEnvelope[] = [];
  private readonly inFlight = new Map<string, Promise<EventEnvelope[]>>();

  constructor(
    private readonly store: StoreLog,
    private readonly keep = 5000,
  ) {}

  onAppended(listener: (position: number) => void): () => void {
    return this.store.onAppended(listener);
  }

  readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    if (after >= this.from && after < this.to()) {
      const first = this.firstAbove(after);
      return Promise.resolve(this.events.slice(first, first + maxCount));
    }
    const key = `${after}:${maxCount}`;
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.store.readAll(after, maxCount);
      this.inFlight.set(key, read);
      read.then(
        (events) => {
          this.inFlight.delete(key);
          this.remember(after, events);
        },
        () => this.inFlight.delete(key),
      );
    }
    return read;
  }

  private to(): number {
    return this.events.at(-1)?.globalPosition ?? this.from;
  }

  /** Extends the run when the read starts where it ends; a read ahead of it starts a new run. */
  private remember(after: number, events: EventEnvelope[]): void {
    if (events.length === 0) return;
    const to = this.to();
    if (after === to) for (const event of events) this.events.push(event);
    else if (after > to) {
      this.from = after;
      this.events = events.slice();
    } else return;
    // Trimmed in steps of `keep`, so that an append does not copy the run every time.
    const excess = this.events.length - this.keep;
    if (excess >= this.keep) {
      this.from = this.events[excess - 1].globalPosition;
      this.events = this.events.slice(excess);
    }
  }

  /** Index of the first kept event above `after` (binary search: positions ascend). */
  private firstAbove(after: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].globalPosition <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
