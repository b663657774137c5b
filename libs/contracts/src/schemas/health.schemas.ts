import { HEALTH_CLASSIFICATIONS, HEALTH_STATUSES } from '../events/health.events.js';
import { isoDateTime, nonEmpty, objectSchema } from './common.schemas.js';

const status = { enum: [...HEALTH_STATUSES] } as const;

export const healthSchemas = {
  HealthIssueRaised: {
    1: objectSchema(
      [
        'issueId',
        'clientId',
        'service',
        'classification',
        'title',
        'impactDescription',
        'status',
        'startDateTime',
      ],
      {
        issueId: nonEmpty,
        clientId: nonEmpty,
        service: nonEmpty,
        feature: { type: 'string' },
        classification: { enum: [...HEALTH_CLASSIFICATIONS] },
        title: nonEmpty,
        impactDescription: { type: 'string' },
        status,
        startDateTime: isoDateTime,
      },
    ),
  },
  HealthIssueUpdated: {
    1: objectSchema(['issueId', 'clientId', 'status', 'message'], {
      issueId: nonEmpty,
      clientId: nonEmpty,
      status,
      message: { type: 'string' },
    }),
  },
  HealthIssueResolved: {
    1: objectSchema(['issueId', 'clientId', 'status', 'endDateTime'], {
      issueId: nonEmpty,
      clientId: nonEmpty,
      status,
      endDateTime: isoDateTime,
      message: { type: 'string' },
    }),
  },
} as const;
