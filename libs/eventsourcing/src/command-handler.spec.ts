import { describe, expect, it, jest } from '@jest/globals';
import { handleCommand } from './command-handler.js';
import type { Decider } from './decider.js';
import { ConcurrencyError } from './errors.js';
import { MemoryEventStore } from './memory/memory-event-store.js';

type Event = { type: 'Counted'; data: { n: number } };
/** Counts: every command adds one event carrying how many there were before it. */
const counter: Decider<'count', Event, number> = {
  initialState: () => 0,
  decide: (_command, state) => [{ type: 'Counted', data: { n: state } }],
  evolve: (state) => state + 1,
};
const options = { now: new Date('2026-12-04T00:00:00Z'), metadata: { actor: { id: 'tester' } } };

describe('handleCommand', () => {
  it('folds the stream it read before deciding', async () => {
    const store = new MemoryEventStore('test');
    await handleCommand(store, counter, 's-1', 'count', options);
    const second = await handleCommand(store, counter, 's-1', 'count', options);
    expect(second.newEvents.map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(second.stream).toHaveLength(2);
    expect(second.streamVersion).toBe(2);
  });

  it('does not read a stream drawn just now (newStream), and answers from what it wrote', async () => {
    const store = new MemoryEventStore('test');
    const read = jest.spyOn(store, 'readStream');
    const result = await handleCommand(store, counter, 's-new', 'count', { ...options, newStream: true });
    expect(read).not.toHaveBeenCalled();
    expect(result.stream.map((e) => e.data)).toEqual([{ n: 0 }]);
    expect(result.streamVersion).toBe(1);
  });

  it('still expects no stream with newStream: a stream that exists after all is a conflict, not joined', async () => {
    const store = new MemoryEventStore('test');
    await handleCommand(store, counter, 's-taken', 'count', options);
    await expect(
      handleCommand(store, counter, 's-taken', 'count', { ...options, newStream: true }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('s-taken')).toHaveLength(1);
  });
});
