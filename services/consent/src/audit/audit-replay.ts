import type { EventStore } from '@dap/eventsourcing';
import { auditRecordOf, chainHash, GENESIS_HASH, isAuditType } from './audit-record.js';
import { toAccessEvent } from './audit-trail.js';

export interface ReplayFilter {
  from?: string;
  to?: string;
  client?: string;
  partner?: string;
  user?: string;
}

export type AccessEvent = ReturnType<typeof toAccessEvent>;

/**
 * Replays the audit trail straight from the event store, page by page (constant memory however
 * long the trail), computing each record's chain hash as it goes, and yields the records that
 * pass the filters, in store order.
 */
export async function* replayAuditTrail(
  store: EventStore,
  filter: ReplayFilter = {},
  pageSize = 1000,
): AsyncGenerator<AccessEvent> {
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  let previous = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const page = await store.readAll(after, pageSize);
    if (page.length === 0) return;
    after = page[page.length - 1].globalPosition;
    for (const event of page) {
      if (!isAuditType(event.type)) continue;
      const record = auditRecordOf(event);
      previous = chainHash(previous, record);
      const time = Date.parse(record.time);
      const d = record.data ?? {};
      if (time < from || time > to) continue;
      if (filter.client && d.clientId !== filter.client) continue;
      if (filter.partner && d.partnerId !== filter.partner) continue;
      if (filter.user && d.userId !== filter.user) continue;
      yield toAccessEvent(record, previous);
    }
  }
}

export const CSV_COLUMNS = [
  'position',
  'id',
  'type',
  'time',
  'subject',
  'partnerId',
  'clientId',
  'userId',
  'actor',
  'hash',
  'data',
] as const;

const csvCell = (value: unknown): string => {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (e: AccessEvent): string =>
  CSV_COLUMNS.map((c) => csvCell(c === 'actor' ? e.actor?.id : e[c])).join(',');
