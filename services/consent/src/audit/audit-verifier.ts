import type { EventEnvelope } from '@dap/contracts';
import type { EventStore, SqlExecutor } from '@dap/eventsourcing';
import { auditRecordOf, chainHash, GENESIS_HASH, isAuditType } from './audit-record.js';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenPosition?: number;
}

const PAGE = 1000;

/** Pages through a sorted source one item at a time, in constant memory. */
async function* paged<T>(fetch: (after: number) => Promise<T[]>, positionOf: (item: T) => number) {
  let after = 0;
  for (;;) {
    const page = await fetch(after);
    if (page.length === 0) return;
    yield* page;
    after = positionOf(page[page.length - 1]);
  }
}

/**
 * Recomputes the hash chain from the events in the store and compares it, record by record, with
 * the chain kept in `consent.audit_chain`. An edited record changes its hash; a deleted one leaves
 * a chain link without its event; an inserted one an event without a link. The first position
 * where they disagree is named. Events newer than the chain (not yet linked) are not checked.
 */
export async function verifyAuditChain(store: EventStore, db: SqlExecutor): Promise<VerifyResult> {
  const [head] = await db.query<{ head: number | null }>(
    `SELECT max(position) AS head FROM consent.audit_chain`,
  );
  const chainHead = Number(head?.head ?? 0);
  const events = paged<EventEnvelope>(
    async (after) => (after >= chainHead ? [] : await store.readAll(after, PAGE)),
    (e) => e.globalPosition,
  )[Symbol.asyncIterator]();
  const links = paged<{ position: number; hash: string }>(
    (after) =>
      db.query(
        `SELECT position, hash FROM consent.audit_chain WHERE position > $1 ORDER BY position LIMIT ${PAGE}`,
        [after],
      ),
    (l) => Number(l.position),
  )[Symbol.asyncIterator]();

  const nextEvent = async () => {
    for (;;) {
      const { value, done } = await events.next();
      if (done || value.globalPosition > chainHead) return undefined;
      if (isAuditType(value.type)) return value;
    }
  };
  let previous = GENESIS_HASH;
  let checked = 0;
  let event = await nextEvent();
  let link = (await links.next()).value as { position: number; hash: string } | undefined;
  while (event || link) {
    const linkPosition = link ? Number(link.position) : Infinity;
    const eventPosition = event ? event.globalPosition : Infinity;
    if (eventPosition !== linkPosition) {
      return { ok: false, checked, firstBrokenPosition: Math.min(eventPosition, linkPosition) };
    }
    const hash = chainHash(previous, auditRecordOf(event!));
    if (hash !== link!.hash) return { ok: false, checked, firstBrokenPosition: eventPosition };
    checked += 1;
    previous = hash;
    event = await nextEvent();
    link = (await links.next()).value as { position: number; hash: string } | undefined;
  }
  return { ok: true, checked };
}
