import { EventEmitter } from 'node:events';

/** The key of a consumer's place in a source, for the reads waiting on it. */
const waitKey = (consumer: string, source: string) => `${consumer}\u0000${source}`;

/**
 * How far each consumer has got in each source store, in this process. Read endpoints wait on it for
 * X-Min-Position; /metrics and /health/ready read lag from it.
 */
export class ConsumerProgress {
  private readonly positions = new Map<string, Map<string, number>>();
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  /** Reads waiting in `waitFor`, per consumer and source. */
  private readonly waiting = new Map<string, number>();

  /** Declares that `consumer` follows `sources` (so tokens of other stores are ignored for it). */
  register(consumer: string, sources: readonly string[]): void {
    const map = this.positions.get(consumer) ?? new Map<string, number>();
    for (const source of sources) if (!map.has(source)) map.set(source, -1);
    this.positions.set(consumer, map);
  }

  report(consumer: string, source: string, position: number): void {
    const map = this.positions.get(consumer) ?? new Map<string, number>();
    this.positions.set(consumer, map);
    if ((map.get(source) ?? -1) >= position) return;
    map.set(source, position);
    this.emitter.emit('progress', consumer, source, position);
  }

  /** Calls `listener` on every advance (the HTTP workers that run no consumers learn them this way). */
  onReport(listener: (consumer: string, source: string, position: number) => void): void {
    this.emitter.on('progress', listener);
  }

  /** Tells consumers of `source` gathering appends that a read waits for them (`waitFor` does). */
  want(consumers: readonly string[], source: string): void {
    this.emitter.emit('wanted', consumers, source);
  }

  /**
   * Calls `listener` when a read starts waiting for consumers of `source` (a consumer gathering appends
   * stops gathering). Returns the unsubscribe.
   */
  onWanted(listener: (consumers: readonly string[], source: string) => void): () => void {
    this.emitter.on('wanted', listener);
    return () => this.emitter.off('wanted', listener);
  }

  /** Whether a read in this process is waiting for `consumer` to get further in `source`. */
  waitedFor(consumer: string, source: string): boolean {
    return (this.waiting.get(waitKey(consumer, source)) ?? 0) > 0;
  }

  follows(consumer: string, source: string): boolean {
    return this.positions.get(consumer)?.has(source) ?? false;
  }

  position(consumer: string, source: string): number {
    return this.positions.get(consumer)?.get(source) ?? -1;
  }

  snapshot(): { consumer: string; source: string; position: number }[] {
    return [...this.positions].flatMap(([consumer, map]) =>
      [...map].map(([source, position]) => ({ consumer, source, position })),
    );
  }

  /**
   * Resolves true once every named consumer that follows `source` has processed `position`, or false
   * when `timeoutMs` passes first.
   */
  async waitFor(
    consumers: readonly string[],
    source: string,
    position: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const relevant = consumers.filter((c) => this.follows(c, source));
    const done = () => relevant.every((c) => this.position(c, source) >= position);
    if (done()) return true;
    const keys = relevant.map((c) => waitKey(c, source));
    for (const key of keys) this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
    this.want(relevant, source);
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.emitter.off('progress', check);
        for (const key of keys) {
          const left = this.waiting.get(key)! - 1;
          if (left > 0) this.waiting.set(key, left);
          else this.waiting.delete(key);
        }
        resolve(value);
      };
      this.emitter.on('progress', check);
    });
  }
}
