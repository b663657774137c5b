import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@dap/contracts';

/** The audit trail: every Delegation* and Role* event, in store order. */
export const isAuditType = (type: string): boolean =>
  type.startsWith('Delegation') || type.startsWith('Role');

/** What each link of the hash chain covers. */
export interface AuditRecord {
  id: string;
  type: string;
  subject: string;
  time: string;
  actor: EventEnvelope['actor'];
  data: any;
  globalPosition: number;
}

/** The hash before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export const auditRecordOf = (e: EventEnvelope): AuditRecord => ({
  id: e.id,
  type: e.type,
  subject: e.subject,
  time: e.time,
  actor: e.actor,
  data: e.data,
  globalPosition: e.globalPosition,
});

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = sha256(hash_{n-1} + canonical JSON of record n), hex. */
export const chainHash = (previous: string, record: AuditRecord): string =>
  createHash('sha256').update(previous).update(canonicalJson(record)).digest('hex');

/** Ids an operator filters on, taken from the payload. */
export const auditKeys = (record: AuditRecord) => ({
  partnerId: (record.data?.partnerId as string | undefined) ?? null,
  clientId: (record.data?.clientId as string | undefined) ?? null,
  userId: (record.data?.userId as string | undefined) ?? null,
});
