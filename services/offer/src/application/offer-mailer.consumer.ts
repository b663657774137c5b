import type { EventEnvelope, OfferSent } from '@dap/contracts';
import type { EventConsumer } from '@dap/messaging';
import type { Mailer } from '@dap/platform';
import type { LinkCodes } from './link-codes.js';

export const OFFER_MAILER = 'offer.mailer';

/**
 * Sends the offer e-mail for each OfferSent, at least once. The link is derived again from the
 * secret and the link version the event names (the event holds no code); the message id is the
 * event id, so a redelivery replaces the same message in the file drop and lets SMTP receivers
 * drop the duplicate.
 */
export function offerMailer(mailer: Mailer, links: LinkCodes): EventConsumer {
  return {
    name: OFFER_MAILER,
    sources: ['offer'],
    types: ['OfferSent'],
    async handle(event: EventEnvelope) {
      const data = event.data as OfferSent;
      await mailer.send({
        id: event.id,
        to: data.recipients,
        subject: 'An invitation to grant delegated administration',
        text: [
          data.message ??
            'Your partner invites you to grant it delegated administration of your organization.',
          '',
          `Review and accept the offer: ${links.acceptUrl(data.offerId, data.linkVersion ?? 1)}`,
        ].join('\n'),
      });
    },
  };
}
