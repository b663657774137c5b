import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { SharedLogReader, type StoreLog } from './shared-log-reader.js';

/** A log with gaps in its positions (rolled-back appends leave some), counting the reads it serves. */
function logOf(positions: number[]) {
  const reads: [number, number][] = [];
  const listeners: ((position: number) => void)[] = [];
  const log: StoreLog = {
    async readAll(after, maxCount) {
      reads.push([after, maxCount]);
      // The answer is what the log held when the read started.
      const found = positions.filter((p) => p > after).slice(0, maxCount);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return found.map((p) => ({ globalPosition: p }) as EventEnvelope);
    },
    onAppended(listener) {
      listeners.push(listener);
      return () => undefined;
    },
  };
  const append = (position: number) => {
    positions.push(position);
    listeners.forEach((l) => l(position));
  };
  return { log, reads, append };
}

const positions = (events: EventEnvelope[]) => events.map((e) => e.globalPosition);

describe('SharedLogReader', () => {
  it('answers reads inside the run it holds from memory, gaps and all', async () => {
    const { log, reads } = logOf([1, 2, 4, 7, 8, 9, 12]);
    const reader = new SharedLogReader(log);
    expect(positions(await reader.readAll(0, 100))).toEqual([1, 2, 4, 7, 8, 9, 12]);
    expect(positions(await reader.readAll(2, 3))).toEqual([4, 7, 8]);
    expect(positions(await reader.readAll(5, 100))).toEqual([7, 8, 9, 12]);
    expect(reads).toEqual([[0, 100]]);
    // At the end of the run it asks the store again.
    expect(await reader.readAll(12, 100)).toEqual([]);
    expect(reads).toHaveLength(2);
  });

  it('shares one read among consumers asking the same at once', async () => {
    const { log, reads } = logOf([1, 2, 3]);
    const reader = new SharedLogReader(log);
    const answers = await Promise.all([reader.readAll(0, 10), reader.readAll(0, 10), reader.readAll(0, 10)]);
    expect(answers.map(positions)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(reads).toHaveLength(1);
  });

  it('does not share a read that started before the latest append', async () => {
    const { log, reads, append } = logOf([1]);
    const reader = new SharedLogReader(log);
    const early = reader.readAll(1, 10);
    append(2);
    const late = reader.readAll(1, 10);
    expect(positions(await early)).toEqual([]);
    expect(positions(await late)).toEqual([2]);
    expect(reads).toHaveLength(2);
  });

  it('reads past the end of its run once an append was signalled since', async () => {
    const { log, reads, append } = logOf([1, 2, 3]);
    const reader = new SharedLogReader(log);
    await reader.readAll(0, 10);
    expect(positions(await reader.readAll(1, 10))).toEqual([2, 3]);
    expect(reads).toHaveLength(1);
    append(4);
    expect(positions(await reader.readAll(1, 10))).toEqual([2, 3, 4]);
    expect(reads).toEqual([
      [0, 10],
      [3, 10],
    ]);
  });

  it('keeps only the newest events, and sends a consumer further behind to the store', async () => {
    const { log, reads } = logOf(Array.from({ length: 30 }, (_, k) => k + 1));
    const reader = new SharedLogReader(log, 5);
    for (let after = 0; after < 30; after += 3) await reader.readAll(after, 3);
    expect(reads).toHaveLength(10);
    expect(positions(await reader.readAll(27, 3))).toEqual([28, 29, 30]);
    expect(reads).toHaveLength(10);
    expect(positions(await reader.readAll(2, 3))).toEqual([3, 4, 5]);
    expect(reads).toHaveLength(11);
  });
});
