import { Inject, Injectable } from '@nestjs/common';
import { notFound, type SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { CLOCK, decodeCursor, encodeCursor, SQL_CLIENT, type Clock } from '@dap/platform';
import { offerStatusAt } from '../domain/offer.decider.js';
import { OFFER_LIST } from '../projections/offer-list.projection.js';
import { LinkCodes } from './link-codes.js';
import { OFFER_SERVICE } from './offer-store.js';

interface OfferRow {
  offer_id: string;
  partner_id: string;
  status: 'active' | 'revoked';
  includes: object;
  granted_roles: string[];
  delegation_duration: string | null;
  auto_extend: boolean;
  expires_at: Date | null;
  message: string | null;
  link_version: number;
  sends: number;
  recipients: number;
  acceptances: number;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  version: number;
}

const SELECT = `SELECT o.*, (SELECT count(*) FROM offer.acceptances a WHERE a.offer_id = o.offer_id)::int AS acceptances FROM offer.offers o`;

/** Reads of the offer list table; a partner only ever sees its own offers. */
@Injectable()
export class OfferQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(LinkCodes) private readonly links: LinkCodes,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
  ) {}

  /** The offer as a command left it: waits (briefly, in process) for the list to reach the command's position. */
  async viewOf(partnerId: string, offerId: string, result: { globalPosition: number | null }) {
    if (result.globalPosition !== null)
      await this.progress.waitFor([OFFER_LIST], OFFER_SERVICE, result.globalPosition, 5000);
    return this.get(partnerId, offerId);
  }

  async get(partnerId: string, offerId: string) {
    const [row] = await this.db.query<OfferRow>(`${SELECT} WHERE o.offer_id = $1 AND o.partner_id = $2`, [
      offerId,
      partnerId,
    ]);
    if (!row) throw notFound('offer');
    return { view: this.view(row), version: row.version };
  }

  async list(partnerId: string, limit: number, cursor?: string) {
    const after = cursor ? decodeCursor<[string, string]>(cursor, 2) : null;
    const rows = await this.db.query<OfferRow>(
      `${SELECT} WHERE o.partner_id = $1 ${after ? 'AND (o.created_at, o.offer_id) < ($3::timestamptz, $4)' : ''}
       ORDER BY o.created_at DESC, o.offer_id DESC LIMIT $2`,
      after ? [partnerId, limit + 1, after[0], after[1]] : [partnerId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.view(r)),
      nextCursor: rows.length > limit ? encodeCursor([last.created_at.toISOString(), last.offer_id]) : null,
    };
  }

  private view(r: OfferRow) {
    return {
      id: r.offer_id,
      partnerId: r.partner_id,
      status: offerStatusAt(
        { status: r.status, expiresAt: r.expires_at?.toISOString() ?? null },
        this.clock.now(),
      ),
      acceptUrl: this.links.acceptUrl(r.offer_id, r.link_version),
      includes: r.includes,
      grantedRoles: r.granted_roles,
      delegationDuration: r.delegation_duration,
      autoExtend: r.auto_extend,
      expiresAt: r.expires_at?.toISOString() ?? null,
      message: r.message,
      counts: { sends: r.sends, recipients: r.recipients, acceptances: r.acceptances },
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
      revokedAt: r.revoked_at?.toISOString() ?? null,
      version: r.version,
    };
  }
}
