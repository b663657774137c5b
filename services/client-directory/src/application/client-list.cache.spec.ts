import { describe, expect, it } from '@jest/globals';
import { ConsumerProgress } from '@dap/messaging';
import { ClientListProjection } from '../projections/client-list.projection.js';
import { cachedPages, ClientListCache } from './client-list.cache.js';

const page = (total: number) => JSON.stringify({ items: [], nextCursor: null, total });
const totalOf = (text: string) => (JSON.parse(text) as { total: number }).total;

function setup(size?: number) {
  const progress = new ConsumerProgress();
  const { name, sources } = new ClientListProjection();
  progress.register(name, sources);
  let loads = 0;
  const load = () => Promise.resolve(page(++loads));
  return { progress, cache: new ClientListCache(progress, size), load, name, loads: () => loads };
}

describe('the client list cache', () => {
  it('serves a page again while the projection has not moved, and reads again once it has', async () => {
    const { progress, cache, load, name, loads } = setup();
    const params = { partnerId: 'p', search: 'contoso', limit: 50 };
    expect(totalOf(await cache.get(params, load))).toBe(1);
    expect(totalOf(await cache.get({ limit: 50, search: 'contoso', partnerId: 'p' }, load))).toBe(1);
    expect(loads()).toBe(1);
    progress.report(name, 'health', 7);
    expect(totalOf(await cache.get(params, load))).toBe(2);
    expect(totalOf(await cache.get({ ...params, partnerId: 'q' }, load))).toBe(3);
  });

  it('lets identical requests arriving together share one read, and forgets a failed one', async () => {
    const { cache, loads } = setup();
    let release!: (p: string) => void;
    let calls = 0;
    const slow = () => {
      calls += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get({ partnerId: 'p' }, slow), cache.get({ partnerId: 'p' }, slow)]);
    release(page(9));
    expect((await both).map(totalOf)).toEqual([9, 9]);
    expect(calls).toBe(1);
    await expect(cache.get({ partnerId: 'x' }, () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(totalOf(await cache.get({ partnerId: 'x' }, () => Promise.resolve(page(4))))).toBe(4);
    expect(loads()).toBe(0);
  });

  it('keeps the most recently used pages, and none when sized 0', async () => {
    const small = setup(2);
    for (const partnerId of ['a', 'b', 'a', 'c', 'a']) await small.cache.get({ partnerId }, small.load);
    expect(small.loads()).toBe(3);
    const off = setup(0);
    await off.cache.get({ partnerId: 'a' }, off.load);
    await off.cache.get({ partnerId: 'a' }, off.load);
    expect(off.loads()).toBe(2);
    expect(cachedPages(undefined)).toBe(1000);
    expect(cachedPages('0')).toBe(0);
    expect(() => cachedPages('-1')).toThrow(/CLIENT_LIST_CACHE_PAGES/);
  });
});
