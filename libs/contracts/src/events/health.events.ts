/** Microsoft Graph service-health vocabulary (serviceHealthStatus). */
export const HEALTH_STATUSES = [
  'investigating',
  'serviceDegradation',
  'serviceInterruption',
  'restoringService',
  'extendedRecovery',
  'verifyingService',
  'serviceRestored',
  'postIncidentReviewPublished',
  'falsePositive',
  'investigationSuspended',
  'serviceOperational',
] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** An issue counts as resolved at one of these statuses. */
export const RESOLVED_HEALTH_STATUSES: readonly HealthStatus[] = [
  'serviceRestored',
  'postIncidentReviewPublished',
  'falsePositive',
  'serviceOperational',
];
export const isResolvedHealthStatus = (status: string): boolean =>
  (RESOLVED_HEALTH_STATUSES as readonly string[]).includes(status);

export const HEALTH_CLASSIFICATIONS = ['incident', 'advisory'] as const;
export type HealthClassification = (typeof HEALTH_CLASSIFICATIONS)[number];

/** One stream per (client, issue). */
export const healthIssueStreamId = (issueId: string, clientId: string): string =>
  `health-issue-${issueId}:${clientId}`;

export interface HealthIssueRaised {
  issueId: string;
  clientId: string;
  service: string;
  feature?: string;
  classification: HealthClassification;
  title: string;
  impactDescription: string;
  status: HealthStatus;
  startDateTime: string;
}
export interface HealthIssueUpdated {
  issueId: string;
  clientId: string;
  status: HealthStatus;
  message: string;
}
export interface HealthIssueResolved {
  issueId: string;
  clientId: string;
  status: HealthStatus;
  endDateTime: string;
  message?: string;
}

export interface HealthEventMap {
  HealthIssueRaised: HealthIssueRaised;
  HealthIssueUpdated: HealthIssueUpdated;
  HealthIssueResolved: HealthIssueResolved;
}
