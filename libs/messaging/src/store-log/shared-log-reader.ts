import type { EventEnvelope } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';

/**
 * What a consumer loop needs from a store: its global log and a wake-up on appends; and, from a shared
 * reader, when its newest read that found events started (`performance.now()`).
 */
export type StoreLog = Pick<EventStore, 'readAll' | 'onAppended'> & { readonly foundAt?: number };

/**
 * One reader of a store's global log for every consumer of a process. A read returns settled events
 * only, with nothing missing between `after` and its last event, so the reader keeps the newest run
 * of them (`from` exclusive, up to the last event, `keep` to twice that many events) and answers any consumer
 * inside that run from memory. All consumers of a store wake on the same append at the same
 * position: identical reads in flight share one query, but only one that started after the latest
 * append signal (an older one may not see that append). A consumer further behind than the run
 * reads the store itself.
 */
export class SharedLogReader implements StoreLog {
  private from = 0;
  private events: EventEnvelope[] = [];
  /** Appends signalled before the read that reached the end of the run started. */
  private endSignal = -1;
  private signals = 0;
  private readonly inFlight = new Map<string, { read: Promise<EventEnvelope[]>; signal: number }>();
  /**
   * When the newest store read that found events started. The consumers' gathering pauses count from it,
   * so that the consumers of this store read (and apply) together, even after one fell out of step.
   */
  foundAt = -Infinity;

  constructor(
    private readonly store: StoreLog,
    private readonly keep = 5000,
  ) {
    store.onAppended(() => this.signals++);
  }

  onAppended(listener: (position: number) => void): () => void {
    return this.store.onAppended(listener);
  }

  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    if (this.holds(after)) {
      const events = this.slice(after, maxCount);
      // Short: all there was, unless an append was signalled since the run's end was read.
      if (events.length === maxCount || this.endSignal === this.signals) return events;
      await this.fromStore(this.to(), maxCount);
      if (this.holds(after)) return this.slice(after, maxCount);
    }
    return this.fromStore(after, maxCount);
  }

  private fromStore(after: number, maxCount: number): Promise<EventEnvelope[]> {
    const key = `${after}:${maxCount}`;
    const shared = this.inFlight.get(key);
    if (shared?.signal === this.signals) return shared.read;
    const started = performance.now();
    const entry = { read: this.store.readAll(after, maxCount), signal: this.signals };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    entry.read.then((events) => {
      forget();
      if (events.length > 0) this.foundAt = Math.max(this.foundAt, started);
      this.remember(after, events, entry.signal);
    }, forget);
    return entry.read;
  }

  private holds(after: number): boolean {
    return after >= this.from && after < this.to();
  }

  private to(): number {
    return this.events.at(-1)?.globalPosition ?? this.from;
  }

  /** Extends the run when the read starts where it ends; a read ahead of it starts a new run. */
  private remember(after: number, events: EventEnvelope[], signal: number): void {
    const to = this.to();
    if (after === to) {
      for (const event of events) this.events.push(event);
      this.endSignal = events.length > 0 ? signal : Math.max(this.endSignal, signal);
    } else if (after > to && events.length > 0) {
      this.from = after;
      this.events = events.slice();
      this.endSignal = signal;
    } else return;
    // Trimmed in steps of `keep`, so that an append does not copy the run every time.
    const excess = this.events.length - this.keep;
    if (excess >= this.keep) {
      this.from = this.events[excess - 1].globalPosition;
      this.events = this.events.slice(excess);
    }
  }

  /** The kept events above `after`, at most `maxCount` (binary search: positions ascend). */
  private slice(after: number, maxCount: number): EventEnvelope[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].globalPosition <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, lo + maxCount);
  }
}
