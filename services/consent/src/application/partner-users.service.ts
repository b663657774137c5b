import type { DelegatedRole } from '@dap/contracts';
import { fold, handleCommand, invalid, type EventStore, type SqlExecutor } from '@dap/eventsourcing';
import { partnerUserRoleDecider, type PartnerUserRoleEvent } from '../domain/partner-user-role.decider.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';
import { partnerUserStream } from './delegation-streams.js';
import { lastPositionOf } from './last-position.js';
import { actorOf, type Caller, type Clock } from './ports.js';

/** A user id (a UPN, usually): printable, no spaces, at most 320 characters. */
const USER_ID = /^[^\s\x00-\x1f\x7f]{1,320}$/;

/** Delegated roles of a partner's own users (the partner is the caller's `tid`). */
export class PartnerUsers {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  async setRole(userId: string, role: DelegatedRole | 'none', caller: Caller, expectedVersion?: number) {
    if (!USER_ID.test(userId)) throw invalid('userId must be 1..320 printable characters', 'userId');
    const result = await handleCommand(
      this.store,
      partnerUserRoleDecider,
      partnerUserStream(caller.tid, userId),
      { type: 'SetDelegatedRole', partnerId: caller.tid, userId, role, by: caller.sub },
      {
        now: this.clock.now(),
        metadata: { actor: actorOf(caller), partnerId: caller.tid },
        expectedVersion,
        retryOnConflict: true,
      },
    );
    return {
      user: { userId, role: result.state.role ?? 'none' },
      changed: result.newEvents.length > 0,
      streamVersion: result.streamVersion,
      globalPosition:
        result.globalPosition ?? (await lastPositionOf(this.store, partnerUserStream(caller.tid, userId))),
    };
  }

  /** The user's current role, from its stream (never behind a read model). */
  async roleOf(partnerId: string, userId: string): Promise<DelegatedRole | null> {
    const events = await this.store.readStream(partnerUserStream(partnerId, userId));
    return fold(partnerUserRoleDecider, events as unknown as PartnerUserRoleEvent[]).role;
  }

  async list(caller: Caller, query: { limit?: number; cursor?: string; role?: string }) {
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 1);
    const params: unknown[] = [caller.tid];
    const where = ['partner_id = $1'];
    if (after) where.push(`user_id > $${params.push(after[0])}`);
    if (query.role === 'none') where.push('role IS NULL');
    else if (query.role) where.push(`role = $${params.push(query.role)}`);
    const rows = await this.db.query<{
      user_id: string;
      role: string | null;
      since: Date;
      changed_by: string;
    }>(
      `SELECT user_id, role, since, changed_by FROM consent.partner_users WHERE ${where.join(' AND ')}
        ORDER BY user_id LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map((r) => ({
      userId: r.user_id,
      role: r.role ?? 'none',
      since: new Date(r.since).toISOString(),
      changedBy: r.changed_by,
    }));
    return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].userId]) : null };
  }
}
