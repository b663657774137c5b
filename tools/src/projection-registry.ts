import type { RebuildableProjection } from './projection-rebuild.js';

/**
 * The read models the rebuild tool knows, by consumer name: every consumer a service registers that
 * only writes its own tables. Each entry loads its service lazily, so the tool only pulls in the
 * service it rebuilds. A service adding a consumer adds it here or to `notRebuildable`
 * (`rebuild-projection.int-spec.ts` fails until it does).
 */
export const projections: Record<string, () => Promise<RebuildableProjection>> = {
  'offer.offer-list': async () => {
    const m = await import('@dap/offer');
    return {
      consumer: m.offerListProjection,
      schema: m.OFFER_SERVICE,
      tables: m.OFFER_LIST_TABLES,
      ddl: m.offerListDdl,
    };
  },
  'consent.offer-terms': async () => {
    const m = await import('@dap/consent');
    return {
      consumer: m.offerTermsProjection,
      schema: 'consent',
      tables: m.OFFER_TERMS_TABLES,
      ddl: m.consentTablesDdl,
    };
  },
  'consent.delegations': async () => {
    const m = await import('@dap/consent');
    return {
      consumer: m.delegationListProjection,
      schema: 'consent',
      tables: m.DELEGATION_LIST_TABLES,
      ddl: m.consentTablesDdl,
    };
  },
  'consent.partner-users': async () => {
    const m = await import('@dap/consent');
    return {
      consumer: m.partnerUsersProjection,
      schema: 'consent',
      tables: m.PARTNER_USERS_TABLES,
      ddl: m.consentTablesDdl,
    };
  },
  'health.issues': async () => {
    const m = await import('@dap/health');
    return {
      consumer: m.healthIssuesProjection,
      schema: m.HEALTH_SCHEMA,
      tables: m.HEALTH_ISSUES_TABLES,
      ddl: m.healthTablesDdl,
    };
  },
  'health.partner-clients': async () => {
    const m = await import('@dap/health');
    return {
      consumer: m.partnerClientsProjection,
      schema: m.HEALTH_SCHEMA,
      tables: m.PARTNER_CLIENTS_TABLES,
      ddl: m.healthTablesDdl,
    };
  },
  'service-request.access': async () => {
    const m = await import('@dap/service-request');
    return {
      consumer: m.accessProjection,
      schema: m.SERVICE_REQUEST_SCHEMA,
      tables: m.ACCESS_TABLES,
      ddl: m.serviceRequestTablesDdl,
    };
  },
  'service-request.requests': async () => {
    const m = await import('@dap/service-request');
    return {
      consumer: m.serviceRequestsProjection,
      schema: m.SERVICE_REQUEST_SCHEMA,
      tables: m.SERVICE_REQUESTS_TABLES,
      ddl: m.serviceRequestTablesDdl,
    };
  },
  'client-directory.client-list': async () => {
    const m = await import('@dap/client-directory');
    return {
      consumer: new m.ClientListProjection(),
      schema: m.CLIENT_DIRECTORY,
      tables: m.CLIENT_LIST_TABLES,
      ddl: m.clientListDdl,
      readIndexes: m.CLIENT_LIST_READ_INDEXES,
    };
  },
};

/**
 * Consumers the services run that are not pure read models, and why the tool will not replay them:
 * their effects reach beyond tables it could drop and create again.
 */
export const notRebuildable: Record<string, string> = {
  'offer.mailer': 'it sends the offer e-mails; a replay would mail every recipient of every offer again',
  'consent.acceptance-mail':
    'it e-mails partners when a client accepts; a replay would send every acceptance mail again',
  'consent.audit-chain':
    'it is the tamper evidence of the consent store; rebuilt from the store it would re-hash whatever the store holds now and hide any edit (check it with `audit verify` instead)',
  'consent.expiry':
    'it is the expiry scheduler, not a read model: it appends DelegationExpired/DelegationExtended events and sends expiry notices',
  'client-directory.bundled-subscriptions':
    'it is a process manager that appends SubscriptionAdded events to the client-directory store; its effects are events, not tables',
};
