import {
  isResolvedHealthStatus,
  type EventEnvelope,
  type HealthIssueRaised,
  type HealthIssueResolved,
  type HealthIssueUpdated,
} from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

export const HEALTH_ISSUES_CONSUMER = 'health.issues';

/**
 * One row per (client, issue) with its latest status. Each change applies only when the event is
 * newer than the row (stream version), so a redelivered event changes nothing.
 */
/** Inserts raised issues set-wise (10,000 clients' rows in one statement); the first raise of a row wins. */
async function raise(events: EventEnvelope<string, HealthIssueRaised>[], tx: SqlExecutor): Promise<void> {
  const rows = events.map(({ data: d, time, streamVersion, globalPosition }) => ({
    client_id: d.clientId,
    issue_id: d.issueId,
    service: d.service,
    feature: d.feature ?? null,
    classification: d.classification,
    title: d.title,
    impact_description: d.impactDescription,
    status: d.status,
    active: !isResolvedHealthStatus(d.status),
    start_date_time: d.startDateTime,
    last_updated_at: time,
    stream_version: streamVersion,
    raised_position: globalPosition,
  }));
  await tx.query(
    `INSERT INTO health.issues (client_id, issue_id, service, feature, classification, title, impact_description,
       status, active, start_date_time, last_updated_at, stream_version, raised_position)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(client_id text, issue_id text, service text, feature text,
       classification text, title text, impact_description text, status text, active boolean, start_date_time timestamptz,
       last_updated_at timestamptz, stream_version integer, raised_position bigint)
     ON CONFLICT (client_id, issue_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

export const healthIssuesProjection: EventConsumer = {
  name: HEALTH_ISSUES_CONSUMER,
  sources: ['health'],
  types: ['HealthIssueRaised', 'HealthIssueUpdated', 'HealthIssueResolved'],
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    for (const run of setWiseRuns(events, (e) => {
      const d = e.data as { clientId: string; issueId: string };
      return `${d.clientId}/${d.issueId}`;
    })) {
      if (run[0].type === 'HealthIssueRaised')
        await raise(run as EventEnvelope<string, HealthIssueRaised>[], tx);
      else for (const event of run) await this.handle(event, tx);
    }
  },
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    switch (event.type) {
      case 'HealthIssueRaised':
        return raise([event as EventEnvelope<string, HealthIssueRaised>], tx);
      case 'HealthIssueUpdated': {
        const d = event.data as HealthIssueUpdated;
        await tx.query(
          `UPDATE health.issues SET status = $3, active = $4, last_message = $5, last_updated_at = $6, stream_version = $7,
             end_date_time = CASE WHEN $4 THEN NULL ELSE end_date_time END
           WHERE client_id = $1 AND issue_id = $2 AND stream_version < $7`,
          [
            d.clientId,
            d.issueId,
            d.status,
            !isResolvedHealthStatus(d.status),
            d.message,
            event.time,
            event.streamVersion,
          ],
        );
        return;
      }
      case 'HealthIssueResolved': {
        const d = event.data as HealthIssueResolved;
        await tx.query(
          `UPDATE health.issues SET status = $3, active = false, end_date_time = $4, last_message = COALESCE($5, last_message),
             last_updated_at = $6, stream_version = $7
           WHERE client_id = $1 AND issue_id = $2 AND stream_version < $7`,
          [
            d.clientId,
            d.issueId,
            d.status,
            d.endDateTime,
            d.message ?? null,
            event.time,
            event.streamVersion,
          ],
        );
        return;
      }
    }
  },
};
