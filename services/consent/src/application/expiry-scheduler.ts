import { handleCommand, type EventStore, type SqlClient } from '@dap/eventsourcing';
import { delegationDecider } from '../domain/delegation.decider.js';
import { addDays } from '../domain/duration.js';
import { dueNotices, NOTICE_DAYS } from '../domain/expiry-notices.js';
import { delegationStream, noticeIdFor } from './delegation-streams.js';
import type { Clock, MailSender } from './ports.js';

export interface TickResult {
  expired: number;
  extended: number;
  noticesSent: number;
}

export interface ExpirySchedulerOptions {
  name?: string;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

interface ExpiringRow {
  delegation_id: string;
  partner_id: string;
  client: { name?: string; primaryDomain?: string };
  expires_at: Date;
  period_start: Date;
  auto_extend: boolean;
  granted_roles: string[];
  notify_to: string[];
}

const SYSTEM_ACTOR = { id: 'system:consent-expiry' };

/**
 * Expires (or auto-extends) delegations whose time has come and e-mails the partner 30, 7 and 1
 * days before expiry. Driven by a periodic tick on the injected clock; tests call `tick(now)`.
 *
 * Each notice is sent and recorded in one transaction that also holds and advances the scheduler's
 * checkpoint row (locked, so two processes never send the same notice together). A crash before the
 * commit leaves the notice unrecorded: it is sent again after the restart under the same
 * deterministic id, which replaces the same mail file. A recorded notice is never sent again.
 */
export class ExpiryScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly name: string;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlClient,
    private readonly mailer: MailSender,
    private readonly clock: Clock,
    private readonly options: ExpirySchedulerOptions = {},
  ) {
    this.name = options.name ?? 'consent.expiry';
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error) => this.options.onError?.(error))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async tick(now: Date = this.clock.now()): Promise<TickResult> {
    const result: TickResult = { expired: 0, extended: 0, noticesSent: 0 };
    const due = await this.db.query<{ delegation_id: string; partner_id: string }>(
      `SELECT delegation_id, partner_id FROM consent.delegations WHERE status = 'active' AND expires_at <= $1 ORDER BY expires_at`,
      [now.toISOString()],
    );
    for (const row of due) {
      const outcome = await handleCommand(
        this.store,
        delegationDecider,
        delegationStream(row.delegation_id),
        { type: 'ExpireDelegation' },
        {
          now,
          metadata: { actor: SYSTEM_ACTOR, partnerId: row.partner_id },
          retryOnConflict: true,
        },
      );
      for (const e of outcome.newEvents) {
        if (e.type === 'DelegationExpired') result.expired += 1;
        if (e.type === 'DelegationExtended') result.extended += 1;
      }
    }
    const horizon = addDays(now, Math.max(...NOTICE_DAYS));
    const expiring = await this.db.query<ExpiringRow>(
      `SELECT delegation_id, partner_id, client, expires_at, period_start, auto_extend, granted_roles, notify_to
         FROM consent.delegations WHERE status = 'active' AND expires_at > $1 AND expires_at <= $2 ORDER BY expires_at, delegation_id`,
      [now.toISOString(), horizon.toISOString()],
    );
    for (const row of expiring) {
      for (const days of dueNotices(new Date(row.period_start), new Date(row.expires_at), now)) {
        if (await this.sendNotice(row, days, now)) result.noticesSent += 1;
      }
    }
    await this.db.query(
      `INSERT INTO consent.scheduler_checkpoints (name, last_tick) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET last_tick = GREATEST(scheduler_checkpoints.last_tick, EXCLUDED.last_tick)`,
      [this.name, now.toISOString()],
    );
    return result;
  }

  /** Sends one notice unless already recorded; the record and the checkpoint commit together. */
  private async sendNotice(row: ExpiringRow, days: number, now: Date): Promise<boolean> {
    const expiresAt = new Date(row.expires_at).toISOString();
    const noticeId = noticeIdFor(row.delegation_id, expiresAt, days);
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO consent.scheduler_checkpoints (name, last_tick) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [this.name, now.toISOString()],
      );
      await tx.query(`SELECT 1 FROM consent.scheduler_checkpoints WHERE name = $1 FOR UPDATE`, [this.name]);
      const [sent] = await tx.query(`SELECT 1 FROM consent.expiry_notices WHERE notice_id = $1`, [noticeId]);
      if (sent) return false;
      if (row.notify_to.length > 0) {
        const extend = row.auto_extend && !row.granted_roles.includes('full');
        await this.mailer.send({
          id: `expiry-notice-${noticeId}`,
          to: row.notify_to,
          subject: `Delegated administration for ${row.client?.name ?? 'a client'} ${extend ? 'renews' : 'expires'} in ${days} day${days === 1 ? '' : 's'}`,
          text: [
            `Your delegated administration of ${row.client?.name ?? ''} (${row.client?.primaryDomain ?? ''})`,
            extend
              ? `will be extended automatically by 180 days on ${expiresAt}.`
              : `expires on ${expiresAt}. Ask the client to accept a new offer to keep access.`,
            `Delegation: ${row.delegation_id}`,
          ].join('\n'),
        });
      }
      await tx.query(
        `INSERT INTO consent.expiry_notices (notice_id, delegation_id, expires_at, days_before, sent_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [noticeId, row.delegation_id, expiresAt, days, now.toISOString()],
      );
      await tx.query(
        `UPDATE consent.scheduler_checkpoints SET last_tick = GREATEST(last_tick, $2), notices_sent = notices_sent + 1 WHERE name = $1`,
        [this.name, now.toISOString()],
      );
      return true;
    });
  }
}
