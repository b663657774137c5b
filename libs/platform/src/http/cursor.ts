import { DomainError } from '@dap/eventsourcing';

/** Opaque keyset cursors: the sort key of the last row, as base64url JSON. */
export const encodeCursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor<T extends unknown[]>(cursor: string, length: number): T {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    )
      return key as T;
  } catch {
    // falls through to the error below
  }
  throw new DomainError('invalid', 'cursor is not valid', { field: 'cursor' });
}
