import { handleCommand, notFound, type EventStore, type SqlExecutor } from '@dap/eventsourcing';
import { delegationDecider } from '../domain/delegation.decider.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';
import { loadDelegation } from './delegation-loader.js';
import { lastPositionOf } from './last-position.js';
import { delegationStream } from './delegation-streams.js';
import { viewOfState, type DelegationView } from './delegation-view.js';
import { actorOf, isPartnerCaller, type Caller, type Clock } from './ports.js';

export interface DelegationQuery {
  status?: 'active' | 'revoked' | 'expired';
  clientId?: string;
  limit?: number;
  cursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Partner roles see their partner's delegations, a client admin its organization's; all else is 404. */
const visibleTo = (caller: Caller, d: { partnerId: string; clientId: string }) =>
  (isPartnerCaller(caller) && d.partnerId === caller.tid) ||
  (caller.roles.includes('client.admin') && d.clientId === caller.tid);

export class Delegations {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  async get(delegationId: string, caller: Caller): Promise<DelegationView> {
    if (!UUID.test(delegationId)) throw notFound('delegation');
    const { state, version } = await loadDelegation(this.store, delegationId);
    if (version === 0 || !visibleTo(caller, { partnerId: state.partnerId!, clientId: state.clientId! }))
      throw notFound('delegation');
    return viewOfState(state, version);
  }

  /** Revoked by the client admin of that client or the partner admin of that partner. */
  async revoke(delegationId: string, caller: Caller, options: { reason?: string; expectedVersion?: number }) {
    if (!UUID.test(delegationId)) throw notFound('delegation');
    const side = caller.roles.includes('partner.admin') ? 'partner' : 'client';
    const { state, version } = await loadDelegation(this.store, delegationId);
    if (version === 0) throw notFound('delegation');
    const result = await handleCommand(
      this.store,
      delegationDecider,
      delegationStream(delegationId),
      { type: 'RevokeDelegation', side, tenantId: caller.tid, revokedBy: caller.sub, reason: options.reason },
      {
        now: this.clock.now(),
        metadata: { actor: actorOf(caller), partnerId: state.partnerId },
        mustExist: 'delegation',
        expectedVersion: options.expectedVersion,
        retryOnConflict: true,
      },
    );
    return {
      delegation: viewOfState(result.state, result.streamVersion),
      globalPosition:
        result.globalPosition ?? (await lastPositionOf(this.store, delegationStream(delegationId))),
    };
  }

  async list(caller: Caller, query: DelegationQuery) {
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 2);
    const own = isPartnerCaller(caller) ? 'partner_id' : 'client_id';
    const params: unknown[] = [caller.tid];
    const where = [`${own} = $1`];
    if (query.status) where.push(`status = $${params.push(query.status)}`);
    if (query.clientId) where.push(`client_id = $${params.push(query.clientId)}`);
    if (after)
      where.push(
        `(granted_at, delegation_id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])})`,
      );
    const rows = await this.db.query<Record<string, any>>(
      `SELECT * FROM consent.delegations WHERE ${where.join(' AND ')}
        ORDER BY granted_at, delegation_id LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(rowToView);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor([last.grantedAt, last.delegationId]) : null,
    };
  }
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export const rowToView = (r: Record<string, any>): DelegationView & Record<string, unknown> => ({
  delegationId: r.delegation_id,
  status: r.status,
  partnerId: r.partner_id,
  clientId: r.client_id,
  offerId: r.offer_id,
  grantedRoles: r.granted_roles,
  grantedAt: iso(r.granted_at)!,
  expiresAt: iso(r.expires_at),
  autoExtend: r.auto_extend,
  client: r.client,
  includes: r.includes,
  version: r.stream_version,
  ...(r.ended_at && {
    endedAt: iso(r.ended_at),
    endedBy: r.ended_by,
    endSide: r.end_side,
    endReason: r.end_reason,
  }),
});
