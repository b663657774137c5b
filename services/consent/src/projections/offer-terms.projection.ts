import type { EventEnvelope, OfferCreated, OfferLinkRotated, OfferRevoked } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

/**
 * What consent knows of offers, learnt only from the offer service's events: the terms a client
 * accepts and the hash of the current link code (never the code). Rows change only for an event
 * newer than the one they last applied, so a replayed or redelivered event changes nothing.
 */
export const offerTermsProjection: EventConsumer = {
  name: 'consent.offer-terms',
  sources: ['offer'],
  types: ['OfferCreated', 'OfferLinkRotated', 'OfferRevoked'],
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const position = event.globalPosition;
    switch (event.type) {
      case 'OfferCreated': {
        const d = event.data as OfferCreated;
        await tx.query(
          `INSERT INTO consent.offers (offer_id, partner_id, created_by, granted_roles, delegation_duration, auto_extend,
             expires_at, includes, message, status, code_hash, last_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11) ON CONFLICT (offer_id) DO NOTHING`,
          [
            d.offerId,
            d.partnerId,
            event.actor?.id ?? null,
            JSON.stringify(d.grantedRoles),
            d.delegationDuration,
            d.autoExtend,
            d.expiresAt,
            JSON.stringify(d.includes ?? {}),
            d.message ?? null,
            d.codeHash,
            position,
          ],
        );
        return;
      }
      case 'OfferLinkRotated': {
        const d = event.data as OfferLinkRotated;
        await tx.query(
          `UPDATE consent.offers SET code_hash = $2, last_position = $3 WHERE offer_id = $1 AND last_position < $3`,
          [d.offerId, d.codeHash, position],
        );
        return;
      }
      case 'OfferRevoked': {
        const d = event.data as OfferRevoked;
        await tx.query(
          `UPDATE consent.offers SET status = 'revoked', last_position = $2 WHERE offer_id = $1 AND last_position < $2`,
          [d.offerId, position],
        );
        return;
      }
    }
  },
};
