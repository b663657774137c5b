import { SERVICE_REQUEST_SEVERITIES, SERVICE_REQUEST_STATUSES } from '../events/service-request.events.js';
import { email, nonEmpty, objectSchema } from './common.schemas.js';

const status = { enum: [...SERVICE_REQUEST_STATUSES] } as const;

export const serviceRequestSchemas = {
  ServiceRequestCreated: {
    1: objectSchema(
      ['requestId', 'partnerId', 'clientId', 'title', 'description', 'severity', 'contact', 'createdBy'],
      {
        requestId: nonEmpty,
        partnerId: nonEmpty,
        clientId: nonEmpty,
        title: { type: 'string', minLength: 1, maxLength: 200 },
        description: { type: 'string', minLength: 1, maxLength: 10000 },
        severity: { enum: [...SERVICE_REQUEST_SEVERITIES] },
        contact: objectSchema(['name', 'email'], { name: nonEmpty, email, phone: { type: 'string' } }),
        createdBy: nonEmpty,
      },
    ),
  },
  ServiceRequestNoteAdded: {
    1: objectSchema(['requestId', 'text', 'author'], {
      requestId: nonEmpty,
      text: nonEmpty,
      author: nonEmpty,
    }),
  },
  ServiceRequestStatusChanged: {
    1: objectSchema(['requestId', 'from', 'to'], {
      requestId: nonEmpty,
      from: status,
      to: status,
      note: { type: 'string' },
      changedBy: { type: 'string' },
    }),
  },
} as const;
