import type { ApiClient } from './api-client.js';
import { clientIdOf, domainOf, SEARCH_TERM } from './client-population.js';
import type { RequestSpec } from './http-load.js';

/** A read the suite loads, with what one probe of it returned (shown beside the figures). */
export interface ReadPath {
  name: string;
  next: () => RequestSpec;
  note: string;
}

interface ListPage {
  items: unknown[];
  nextCursor: string | null;
  total?: number;
}

const random = (count: number) => 1 + Math.floor(Math.random() * count);

/**
 * The client-list reads of the suite: a 1% search sorted by health, the unfiltered first page, an
 * exact domain, one client by id (random ones), and deep pages: the cursors of pages
 * deepPages/2..deepPages, collected by walking nextCursor once (the walk is timed too).
 */
export async function readPaths(
  api: ApiClient,
  token: string,
  count: number,
  deepPages: number,
): Promise<{ paths: ReadPath[]; walk: { pages: number; ms: number } }> {
  const headers = { authorization: `Bearer ${token}` };
  const probe = async (path: string) => {
    const page = await api.ok<ListPage>('GET', path, token);
    return `total ${page.total ?? '?'}, ${page.items.length} rows`;
  };
  const search = `/api/v1/clients?search=${SEARCH_TERM}&sort=health`;
  const unfiltered = '/api/v1/clients?limit=50';
  const paths: ReadPath[] = [
    {
      name: `GET /clients?search=${SEARCH_TERM}&sort=health (1%)`,
      next: () => ({ path: search, headers }),
      note: await probe(search),
    },
    {
      name: 'GET /clients?limit=50 (unfiltered, by name)',
      next: () => ({ path: unfiltered, headers }),
      note: await probe(unfiltered),
    },
    {
      name: 'GET /clients?search=<exact domain>',
      next: () => ({ path: `/api/v1/clients?search=${domainOf(random(count))}`, headers }),
      note: await probe(`/api/v1/clients?search=${domainOf(42)}`),
    },
    {
      name: 'GET /clients/{id}',
      next: () => ({ path: `/api/v1/clients/${clientIdOf(random(count))}`, headers }),
      note: 'random ids',
    },
  ];

  const cursors: string[] = [];
  const started = performance.now();
  let cursor: string | null = null;
  for (let page = 1; page <= deepPages; page++) {
    const path = `/api/v1/clients?limit=50&sort=name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body: ListPage = await api.ok<ListPage>('GET', path, token);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
    cursors.push(cursor);
  }
  const walk = { pages: cursors.length + 1, ms: Math.round(performance.now() - started) };
  const deep = cursors.slice(Math.floor(cursors.length / 2));
  let k = 0;
  paths.push({
    name: `GET /clients?limit=50&cursor=… (pages ${cursors.length - deep.length + 2}..${cursors.length + 1})`,
    next: () => ({
      path: `/api/v1/clients?limit=50&sort=name&cursor=${encodeURIComponent(deep[k++ % deep.length])}`,
      headers,
    }),
    note: `rows ${(cursors.length - deep.length + 1) * 50}..${(cursors.length + 1) * 50}`,
  });
  return { paths, walk };
}
