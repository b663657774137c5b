import {
  isResolvedHealthStatus,
  type EventEnvelope,
  type HealthIssueRaised,
  type HealthIssueResolved,
  type HealthIssueUpdated,
} from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

export const HEALTH_ISSUES_CONSUMER = 'health.issues';

/**
 * One row per (client, issue) with its latest status. Each change applies only when the event is
 * newer than the row (stream version), so a redelivered event changes nothing.
 */
export const healthIssuesProjection: EventConsumer = {
  name: HEALTH_ISSUES_CONSUMER,
  sources: ['health'],
  types: ['HealthIssueRaised', 'HealthIssueUpdated', 'HealthIssueResolved'],
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    switch (event.type) {
      case 'HealthIssueRaised': {
        const d = event.data as HealthIssueRaised;
        await tx.query(
          `INSERT INTO health.issues (client_id, issue_id, service, feature, classification, title, impact_description,
             status, active, start_date_time, last_updated_at, stream_version, raised_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (client_id, issue_id) DO NOTHING`,
          [
            d.clientId,
            d.issueId,
            d.service,
            d.feature ?? null,
            d.classification,
            d.title,
            d.impactDescription,
            d.status,
            !isResolvedHealthStatus(d.status),
            d.startDateTime,
            event.time,
            event.streamVersion,
            event.globalPosition,
          ],
        );
        return;
      }
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
