import type { ConsumerProgress } from '@dap/messaging';
import { ClientListProjection } from '../projections/client-list.projection.js';
import type { ListClientsParams } from './client-list.types.js';

export const DEFAULT_CACHED_PAGES = 1000;

/**
 * Pages of the client list (as the JSON text answered), remembered while the list's projection has not moved. A page is kept
 * with the projection's positions in every source as they were before it was read: it is served
 * again only while they are still the same, so it is never older than what the process has applied
 * (and X-Min-Position, which waits for those positions first, still reads its own writes). Identical
 * requests arriving together share one query. A partner's console that polls, pages back and forth
 * or repeats a search costs no query until something changes.
 */
export class ClientListCache {
  private readonly pages = new Map<string, { version: string; page: Promise<string> }>();
  private readonly projection = new ClientListProjection();

  constructor(
    private readonly progress: ConsumerProgress,
    private readonly size = DEFAULT_CACHED_PAGES,
  ) {}

  get(params: ListClientsParams, load: () => Promise<string>): Promise<string> {
    if (this.size === 0) return load();
    const key = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
    const version = this.version();
    const hit = this.pages.get(key);
    this.pages.delete(key);
    if (hit && hit.version === version) {
      this.pages.set(key, hit); // the most recently used goes last
      return hit.page;
    }
    const page = load();
    const entry = { version, page };
    this.pages.set(key, entry);
    if (this.pages.size > this.size) this.pages.delete(this.pages.keys().next().value!);
    page.catch(() => this.pages.get(key) === entry && this.pages.delete(key));
    return page;
  }

  private version(): string {
    return this.projection.sources.map((s) => this.progress.position(this.projection.name, s)).join(',');
  }
}

/** `CLIENT_LIST_CACHE_PAGES`: how many pages each process remembers (0 turns the cache off). */
export function cachedPages(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_CACHED_PAGES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000)
    throw new Error(`Invalid configuration: CLIENT_LIST_CACHE_PAGES must be a whole number 0..1000000`);
  return n;
}
