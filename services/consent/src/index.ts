export * from './consent.module.js';
export { ExpiryScheduler } from './application/expiry-scheduler.js';
export { AuditTrail } from './audit/audit-trail.js';
export { decideAccess, ACTION_REQUIREMENTS, DELEGATED_ACTIONS } from './domain/access-decision.js';
export { auditChainProjection } from './projections/audit-chain.projection.js';
export { CONSENT, migrateConsentTables } from './projections/consent-tables.js';
export { delegationIdFor, delegationStream, partnerUserStream } from './application/delegation-streams.js';
export { offerTermsProjection } from './projections/offer-terms.projection.js';
export { delegationListProjection } from './projections/delegation-list.projection.js';
export { partnerUsersProjection } from './projections/partner-users.projection.js';
export {
  consentTablesDdl,
  OFFER_TERMS_TABLES,
  DELEGATION_LIST_TABLES,
  PARTNER_USERS_TABLES,
} from './projections/consent-tables.js';
export { main as auditTool, type AuditToolIo } from './cli/audit.js';
