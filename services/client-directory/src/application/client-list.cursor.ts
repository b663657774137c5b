import { invalid } from '@dap/eventsourcing';

/** Where a page ended: the sort it belongs to, the exact-match group, the sort key values and the client id. */
export interface ClientListCursor {
  sort: string;
  order: 'asc' | 'desc';
  /** Still inside the exact-domain-match group that leads a search. */
  exact: boolean;
  keys: string[];
  clientId: string;
}

export const encodeCursor = (cursor: ClientListCursor): string =>
  Buffer.from(
    JSON.stringify([cursor.sort, cursor.order, cursor.exact ? 1 : 0, cursor.keys, cursor.clientId]),
  ).toString('base64url');

/** Decodes an opaque cursor; anything malformed, or made for another sort, answers 400. */
export function decodeCursor(text: string, sort: string, order: string, keyCount: number): ClientListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed cursor', 'cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalid('malformed cursor', 'cursor');
  const [s, o, e, keys, clientId] = parsed as unknown[];
  const ok =
    s === sort &&
    o === order &&
    (e === 0 || e === 1) &&
    Array.isArray(keys) &&
    keys.length === keyCount &&
    keys.every((k) => typeof k === 'string') &&
    typeof clientId === 'string';
  if (!ok) throw invalid('the cursor belongs to another query (sort and order must stay the same)', 'cursor');
  return {
    sort,
    order: o as 'asc' | 'desc',
    exact: e === 1,
    keys: keys as string[],
    clientId: clientId as string,
  };
}
