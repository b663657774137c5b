import type { EventEnvelope } from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import type { OfferEvent } from '../domain/offer.decider.js';

export const OFFER_LIST = 'offer.offer-list';

export const offerListDdl = `
  CREATE SCHEMA IF NOT EXISTS offer;
  CREATE TABLE IF NOT EXISTS offer.offers (
    offer_id text PRIMARY KEY,
    partner_id text NOT NULL,
    status text NOT NULL,
    includes jsonb NOT NULL,
    granted_roles text[] NOT NULL,
    delegation_duration text,
    auto_extend boolean NOT NULL,
    expires_at timestamptz,
    message text,
    link_version integer NOT NULL,
    sends integer NOT NULL DEFAULT 0,
    recipients integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    revoked_at timestamptz,
    version integer NOT NULL
  );
  CREATE INDEX IF NOT EXISTS offers_by_partner ON offer.offers (partner_id, created_at DESC, offer_id DESC);
  -- Acceptances arrive from another store, possibly before the offer row: kept apart, one row each.
  CREATE TABLE IF NOT EXISTS offer.acceptances (
    delegation_id text PRIMARY KEY,
    offer_id text NOT NULL,
    client_id text NOT NULL,
    accepted_at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS acceptances_by_offer ON offer.acceptances (offer_id);`;

/** The tables `offerListDdl` creates, all owned by the offer list (in the `offer` schema). */
export const OFFER_LIST_TABLES = ['offers', 'acceptances'];

/**
 * The partner's list of offers, with sends and acceptances. Every statement is idempotent on its own
 * and guarded by the stream version, so an event applied twice leaves the same row.
 */
export const offerListProjection: EventConsumer = {
  name: OFFER_LIST,
  sources: ['offer', 'consent'],
  types: ['OfferCreated', 'OfferSent', 'OfferLinkRotated', 'OfferRevoked', 'DelegationGranted'],
  handle(envelope: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([envelope], tx);
  },
  /**
   * The batch's acceptances in one INSERT (a table of their own, one row per delegation: their order
   * among themselves and against the offer events does not matter), then the offer events in order.
   */
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    const granted = events.filter((e) => e.type === 'DelegationGranted');
    if (granted.length > 0) {
      const data = granted.map((e) => e.data as { delegationId: string; offerId: string; clientId: string });
      await tx.query(
        prepared(`INSERT INTO offer.acceptances
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`),
        [
          data.map((d) => d.delegationId),
          data.map((d) => d.offerId),
          data.map((d) => d.clientId),
          granted.map((e) => e.time),
        ],
      );
    }
    for (const event of events) if (event.type !== 'DelegationGranted') await applyOfferEvent(event, tx);
  },
};

async function applyOfferEvent(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
  const event = envelope as unknown as OfferEvent & EventEnvelope;
  const v = envelope.streamVersion;
  switch (event.type) {
    case 'OfferCreated': {
      const d = event.data;
      await tx.query(
        `INSERT INTO offer.offers (offer_id, partner_id, status, includes, granted_roles, delegation_duration, auto_extend, expires_at, message, link_version, created_at, created_by, version)
           VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8, 1, $9, $10, $11) ON CONFLICT (offer_id) DO NOTHING`,
        [
          d.offerId,
          d.partnerId,
          JSON.stringify(d.includes),
          d.grantedRoles,
          d.delegationDuration,
          d.autoExtend,
          d.expiresAt,
          d.message ?? null,
          envelope.time,
          envelope.actor.id,
          v,
        ],
      );
      return;
    }
    case 'OfferSent':
      await tx.query(
        `UPDATE offer.offers SET sends = sends + 1, recipients = recipients + $2, version = $3 WHERE offer_id = $1 AND version < $3`,
        [event.data.offerId, event.data.recipients.length, v],
      );
      return;
    case 'OfferLinkRotated':
      await tx.query(
        `UPDATE offer.offers SET link_version = link_version + 1, version = $2 WHERE offer_id = $1 AND version < $2`,
        [event.data.offerId, v],
      );
      return;
    case 'OfferRevoked':
      await tx.query(
        `UPDATE offer.offers SET status = 'revoked', revoked_at = $2, version = $3 WHERE offer_id = $1 AND version < $3`,
        [event.data.offerId, envelope.time, v],
      );
      return;
  }
}
