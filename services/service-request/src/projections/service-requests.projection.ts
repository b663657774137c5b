import type {
  EventEnvelope,
  ServiceRequestCreated,
  ServiceRequestNoteAdded,
  ServiceRequestStatusChanged,
} from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

export const SERVICE_REQUESTS_CONSUMER = 'service-request.requests';

/**
 * The service request list and each request's activity (notes and status changes). The request
 * row changes only for a newer stream version and activity is keyed by stream version, so a
 * redelivered event changes nothing.
 */
export const serviceRequestsProjection: EventConsumer = {
  name: SERVICE_REQUESTS_CONSUMER,
  sources: ['service-request'],
  types: ['ServiceRequestCreated', 'ServiceRequestNoteAdded', 'ServiceRequestStatusChanged'],
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  /** A run of creations is one INSERT (each is its stream's first event: distinct rows); the rest one by one. */
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    for (const run of setWiseRuns(events, (e) => (e.data as { requestId: string }).requestId)) {
      if (run[0].type === 'ServiceRequestCreated') await insertRequests(tx, run);
      else for (const event of run) await applyActivity(tx, event);
    }
  },
};

async function insertRequests(tx: SqlExecutor, created: EventEnvelope[]) {
  const rows = created.map((event) => {
    const d = event.data as ServiceRequestCreated;
    return {
      request_id: d.requestId,
      partner_id: d.partnerId,
      client_id: d.clientId,
      title: d.title,
      description: d.description,
      severity: d.severity,
      contact: d.contact,
      created_by: d.createdBy,
      created_at: event.time,
      stream_version: event.streamVersion,
      created_position: event.globalPosition,
    };
  });
  await tx.query(
    prepared(`INSERT INTO "service-request".requests (request_id, partner_id, client_id, title, description, severity, contact,
       status, created_by, created_at, updated_at, stream_version, created_position)
     SELECT request_id, partner_id, client_id, title, description, severity, contact, 'open', created_by, created_at,
            created_at, stream_version, created_position
       FROM jsonb_to_recordset($1::jsonb) AS u(request_id text, partner_id text, client_id text, title text,
            description text, severity text, contact jsonb, created_by text, created_at timestamptz,
            stream_version integer, created_position bigint)
     ON CONFLICT (request_id) DO NOTHING`),
    [JSON.stringify(rows)],
  );
}

async function applyActivity(tx: SqlExecutor, event: EventEnvelope) {
  switch (event.type) {
    case 'ServiceRequestNoteAdded': {
      const d = event.data as ServiceRequestNoteAdded;
      await activity(tx, event, 'note', { text: d.text, author: d.author });
      await touch(tx, event, d.requestId);
      return;
    }
    case 'ServiceRequestStatusChanged': {
      const d = event.data as ServiceRequestStatusChanged;
      await activity(tx, event, 'status', {
        text: d.note ?? null,
        from: d.from,
        to: d.to,
        author: d.changedBy ?? event.actor.id,
      });
      await touch(tx, event, d.requestId, d.to);
      return;
    }
  }
}

async function activity(
  tx: SqlExecutor,
  event: EventEnvelope,
  kind: string,
  a: { text: string | null; author: string; from?: string; to?: string },
) {
  await tx.query(
    prepared(`INSERT INTO "service-request".activity (request_id, stream_version, kind, text, from_status, to_status, author, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`),
    [
      (event.data as { requestId: string }).requestId,
      event.streamVersion,
      kind,
      a.text,
      a.from ?? null,
      a.to ?? null,
      a.author,
      event.time,
    ],
  );
}

async function touch(tx: SqlExecutor, event: EventEnvelope, requestId: string, status?: string) {
  await tx.query(
    prepared(`UPDATE "service-request".requests SET status = COALESCE($2, status), updated_at = $3, stream_version = $4
     WHERE request_id = $1 AND stream_version < $4`),
    [requestId, status ?? null, event.time, event.streamVersion],
  );
}
