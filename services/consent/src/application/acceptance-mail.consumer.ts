import type { DelegationGranted, EventEnvelope } from '@dap/contracts';
import type { EventConsumer } from '@dap/messaging';
import type { MailSender } from './ports.js';

/**
 * E-mails the partner when a client accepts. At least once: a redelivered event sends the mail
 * again under the same id (the delegation's), which replaces the same message in the file drop.
 */
export function acceptanceMailConsumer(mailer: MailSender): EventConsumer {
  return {
    name: 'consent.acceptance-mail',
    sources: ['consent'],
    types: ['DelegationGranted'],
    async handle(event: EventEnvelope) {
      const d = event.data as DelegationGranted;
      const to = d.partnerContacts ?? [];
      if (to.length === 0) return;
      await mailer.send({
        id: `delegation-granted-${d.delegationId}`,
        to,
        subject: `${d.client.name} accepted your delegated administration offer`,
        text: [
          `${d.client.name} (${d.client.primaryDomain}) granted your organization delegated administration.`,
          `Roles: ${d.grantedRoles.join(', ')}`,
          `Expires: ${d.expiresAt ?? 'never'}${d.autoExtend ? ' (extended automatically)' : ''}`,
          `Client tenant: ${d.clientId}`,
          `Delegation: ${d.delegationId}`,
          `Offer: ${d.offerId}`,
        ].join('\n'),
      });
    },
  };
}
