import { includes, isoDateTime, nonEmpty, objectSchema, roles, sha256Hex, email } from './common.schemas.js';

export const offerSchemas = {
  OfferCreated: {
    1: objectSchema(
      [
        'offerId',
        'partnerId',
        'includes',
        'grantedRoles',
        'delegationDuration',
        'autoExtend',
        'expiresAt',
        'codeHash',
      ],
      {
        offerId: nonEmpty,
        partnerId: nonEmpty,
        includes,
        grantedRoles: roles,
        delegationDuration: { type: ['string', 'null'], pattern: '^P' },
        autoExtend: { type: 'boolean' },
        expiresAt: { oneOf: [isoDateTime, { type: 'null' }] },
        message: { type: 'string', maxLength: 2000 },
        codeHash: sha256Hex,
      },
    ),
  },
  OfferSent: {
    1: objectSchema(['offerId', 'recipients', 'sentBy'], {
      offerId: nonEmpty,
      recipients: { type: 'array', items: email, minItems: 1, maxItems: 50 },
      sentBy: nonEmpty,
      linkVersion: { type: 'integer', minimum: 1 },
      message: { type: 'string' },
    }),
  },
  OfferLinkRotated: { 1: objectSchema(['offerId', 'codeHash'], { offerId: nonEmpty, codeHash: sha256Hex }) },
  OfferRevoked: { 1: objectSchema(['offerId'], { offerId: nonEmpty, reason: { type: 'string' } }) },
} as const;
