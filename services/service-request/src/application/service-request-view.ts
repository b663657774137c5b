import type {
  EventEnvelope,
  ServiceRequestCreated,
  ServiceRequestNoteAdded,
  ServiceRequestStatusChanged,
} from '@dap/contracts';

/** What `GET /service-requests/{id}` answers, and a command on the request with it. */
export interface ServiceRequestView {
  id: string;
  partnerId: string;
  clientId: string;
  title: string;
  description: string;
  severity: string;
  contact: object;
  status: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ActivityView {
  kind: 'note' | 'status';
  text?: string;
  from?: string;
  to?: string;
  author: string;
  at: string;
}

/**
 * The request as its own stream tells it, the same view the projection's tables give
 * (`service-requests.projection.ts`): a command answers with it at once instead of waiting for the
 * table to reach the new event. An e2e test holds each answer against the GET that follows.
 */
export function serviceRequestViewOf(
  stream: readonly EventEnvelope[],
): ServiceRequestView & { activity: ActivityView[] } {
  const [created, ...later] = stream;
  const d = created.data as ServiceRequestCreated;
  const view: ServiceRequestView & { activity: ActivityView[] } = {
    id: d.requestId,
    partnerId: d.partnerId,
    clientId: d.clientId,
    title: d.title,
    description: d.description,
    severity: d.severity,
    contact: d.contact,
    status: 'open',
    createdBy: d.createdBy,
    createdAt: created.time,
    updatedAt: created.time,
    version: created.streamVersion,
    activity: [],
  };
  for (const event of later) {
    if (event.type === 'ServiceRequestNoteAdded') {
      const note = event.data as ServiceRequestNoteAdded;
      view.activity.push({ kind: 'note', text: note.text, author: note.author, at: event.time });
    } else if (event.type === 'ServiceRequestStatusChanged') {
      const change = event.data as ServiceRequestStatusChanged;
      view.status = change.to;
      view.activity.push({
        kind: 'status',
        ...(change.note !== undefined && { text: change.note }),
        from: change.from,
        to: change.to,
        author: change.changedBy ?? event.actor.id,
        at: event.time,
      });
    } else continue;
    view.updatedAt = event.time;
    view.version = event.streamVersion;
  }
  return view;
}
