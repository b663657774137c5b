import { randomUUID } from 'node:crypto';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { ConcurrencyError, type EventStore, type Upcasters } from '@dap/eventsourcing';

export interface StoreUnderTest {
  store: EventStore;
  /** A new store instance over the same data, as after a process restart (absent for memory). */
  reopen?: () => Promise<EventStore>;
  close(): Promise<void>;
}

export type StoreFactory = (name: string, upcasters?: Upcasters) => Promise<StoreUnderTest>;

const actor = { id: 'user-1', tenantId: 'partner-1', roles: ['partner.admin'] };
const meta = { actor, partnerId: 'partner-1', correlationId: 'corr-1' };
const ev = (type: string, data: unknown = {}) => ({ type, data });

/** The contract every EventStore adapter passes: append, conflict, read, global log, restart. */
/**
 * `durable: false` (the memory store) leaves out the restart case: there is nothing to reopen.
 */
export function eventStoreContract(label: string, factory: StoreFactory, { durable = true } = {}): void {
  describe(`EventStore contract: ${label}`, () => {
    let sut: StoreUnderTest;
    let store: EventStore;
    const stream = () => `offer-${randomUUID()}`;

    beforeAll(async () => {
      sut = await factory('contract', {
        Upcast: { 1: (d: { n: number }) => ({ n: d.n, doubled: d.n * 2 }) },
      });
      store = sut.store;
    });
    afterAll(async () => sut.close());

    it('appends to a new stream and reads the envelope back', async () => {
      const id = stream();
      const time = new Date('2026-01-02T03:04:05.678Z');
      const result = await store.appendToStream(id, [ev('A', { x: 1 }), ev('B', { y: 'z' })], 0, {
        ...meta,
        time,
      });
      expect(result.streamVersion).toBe(2);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
      const read = await store.readStream(id);
      expect(read).toEqual(result.events);
      expect(read[0]).toMatchObject({
        type: 'A',
        schemaVersion: 1,
        source: 'contract',
        subject: id,
        partnerId: 'partner-1',
        time: time.toISOString(),
        actor,
        correlationId: 'corr-1',
        data: { x: 1 },
      });
      expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
      expect(result.globalPosition).toBe(read[1].globalPosition);
    });

    it('rejects an append at the wrong expected version and writes nothing', async () => {
      const id = stream();
      await store.appendToStream(id, [ev('A')], 0, meta);
      await expect(store.appendToStream(id, [ev('B')], 0, meta)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.appendToStream(id, [ev('B')], 5, meta)).rejects.toBeInstanceOf(ConcurrencyError);
      // The same with two events (the SQL store appends one event by a shorter path than several).
      for (const expected of [0, 5])
        await expect(store.appendToStream(id, [ev('B'), ev('C')], expected, meta)).rejects.toBeInstanceOf(
          ConcurrencyError,
        );
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A']);
      await store.appendToStream(id, [ev('B')], 'any', meta);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('lets exactly one of two concurrent writers at the same version win', async () => {
      const id = stream();
      await store.appendToStream(id, [ev('A')], 0, meta);
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4].map((n) => store.appendToStream(id, [ev(`W${n}`)], 1, meta)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === 'rejected'))
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('reads forward from a version and backward with a count', async () => {
      const id = stream();
      await store.appendToStream(
        id,
        ['A', 'B', 'C', 'D'].map((t) => ev(t)),
        0,
        meta,
      );
      expect((await store.readStream(id, { fromVersion: 3 })).map((e) => e.type)).toEqual(['C', 'D']);
      expect((await store.readStream(id, { direction: 'backward', maxCount: 2 })).map((e) => e.type)).toEqual(
        ['D', 'C'],
      );
      expect(
        (await store.readStream(id, { direction: 'backward', fromVersion: 2 })).map((e) => e.type),
      ).toEqual(['B', 'A']);
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('reads several streams at once, an empty one as []', async () => {
      const [a, b, none] = [stream(), stream(), stream()];
      await store.appendToStream(a, [ev('A1'), ev('A2')], 0, meta);
      await store.appendToStream(b, [ev('B1')], 0, meta);
      const streams = await store.readStreams([b, none, a]);
      expect([...streams.keys()].sort()).toEqual([a, b, none].sort());
      expect(streams.get(a)!.map((e) => [e.type, e.streamVersion])).toEqual([
        ['A1', 1],
        ['A2', 2],
      ]);
      expect(streams.get(b)).toEqual(await store.readStream(b));
      expect(streams.get(none)).toEqual([]);
    });

    it('appends to several streams atomically', async () => {
      const [a, b] = [stream(), stream()];
      await store.appendToStream(b, [ev('B0')], 0, meta);
      const ok = await store.appendToStreams(
        [
          { streamId: a, events: [ev('A1')], expectedVersion: 0 },
          { streamId: b, events: [ev('B1')], expectedVersion: 1 },
        ],
        meta,
      );
      expect(ok.events.map((e) => [e.subject, e.streamVersion])).toEqual([
        [a, 1],
        [b, 2],
      ]);
      await expect(
        store.appendToStreams(
          [
            { streamId: a, events: [ev('A2')], expectedVersion: 1 },
            { streamId: b, events: [ev('B2')], expectedVersion: 1 },
          ],
          meta,
        ),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream(a)).toHaveLength(1);
    });

    it('reads the global log after a position, in order, and tells the head', async () => {
      const start = await store.headPosition();
      const [a, b] = [stream(), stream()];
      await store.appendToStream(a, [ev('A1')], 0, meta);
      await store.appendToStream(b, [ev('B1'), ev('B2')], 0, meta);
      await store.appendToStream(a, [ev('A2')], 1, meta);
      const all = await store.readAll(start, 100);
      expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      const positions = all.map((e) => e.globalPosition);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(4);
      expect(await store.headPosition()).toBe(positions[3]);
      expect((await store.readAll(positions[1], 2)).map((e) => e.type)).toEqual(['B2', 'A2']);
    });

    it('signals local appends to readers of the log', async () => {
      const seen: number[] = [];
      const off = store.onAppended((p) => seen.push(p));
      const result = await store.appendToStream(stream(), [ev('A')], 0, meta);
      off();
      await store.appendToStream(stream(), [ev('B')], 0, meta);
      expect(seen).toEqual([result.globalPosition]);
    });

    it('upcasts old payload versions on read and keeps the stored one', async () => {
      const id = stream();
      await store.appendToStream(id, [{ type: 'Upcast', data: { n: 21 }, schemaVersion: 1 }], 0, meta);
      const [event] = await store.readStream(id);
      expect(event).toMatchObject({ schemaVersion: 2, data: { n: 21, doubled: 42 } });
      const [fromLog] = await store.readAll(event.globalPosition - 1, 1);
      expect(fromLog.data).toEqual({ n: 21, doubled: 42 });
    });

    if (durable)
      it('keeps everything across a restart and goes on numbering after it', async () => {
        const id = stream();
        const first = await store.appendToStream(id, [ev('A')], 0, meta);
        const reopened = await sut.reopen!();
        expect(await reopened.readStream(id)).toEqual(first.events);
        const next = await reopened.appendToStream(id, [ev('B')], 1, meta);
        expect(next.globalPosition).toBeGreaterThan(first.globalPosition);
        expect((await reopened.readAll(first.globalPosition - 1, 10)).map((e) => e.type)).toEqual(['A', 'B']);
      });
  });
}
