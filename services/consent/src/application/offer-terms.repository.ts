import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import type { OfferTerms } from '../domain/offer-terms.js';

export interface StoredOffer extends OfferTerms {
  codeHash: string;
  message: string | null;
}

interface OfferRow {
  offer_id: string;
  partner_id: string;
  created_by: string | null;
  granted_roles: OfferTerms['grantedRoles'];
  delegation_duration: string | null;
  auto_extend: boolean;
  expires_at: Date | string | null;
  includes: OfferTerms['includes'];
  message: string | null;
  status: OfferTerms['status'];
  code_hash: string;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

// Every offer-link view and acceptance runs it: planned once per connection.
const FIND_OFFER = prepared(
  `SELECT offer_id, partner_id, created_by, granted_roles, delegation_duration, auto_extend, expires_at,
          includes, message, status, code_hash
     FROM consent.offers WHERE offer_id = $1`,
);

/** Reads the offers consent learnt from offer events. */
export async function findOffer(db: SqlExecutor, offerId: string): Promise<StoredOffer | null> {
  const [row] = await db.query<OfferRow>(FIND_OFFER, [offerId]);
  if (!row) return null;
  return {
    offerId: row.offer_id,
    partnerId: row.partner_id,
    grantedRoles: row.granted_roles,
    delegationDuration: row.delegation_duration,
    autoExtend: row.auto_extend,
    expiresAt: iso(row.expires_at),
    includes: row.includes,
    status: row.status,
    partnerContacts: row.created_by && row.created_by.includes('@') ? [row.created_by] : [],
    codeHash: row.code_hash,
    message: row.message,
  };
}
