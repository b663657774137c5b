export * from './consent.module.js';
export { ExpiryScheduler } from './application/expiry-scheduler.js';
export { AuditTrail } from './audit/audit-trail.js';
export { decideAccess, ACTION_REQUIREMENTS, DELEGATED_ACTIONS } from './domain/access-decision.js';
