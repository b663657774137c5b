import {
  address,
  includes,
  isoDateTime,
  nonEmpty,
  objectSchema,
  role,
  roles,
  uuid,
} from './common.schemas.js';

const client = objectSchema(['name', 'primaryDomain', 'address'], {
  name: nonEmpty,
  primaryDomain: nonEmpty,
  address,
});
const nullableDateTime = { oneOf: [isoDateTime, { type: 'null' }] } as const;
const ids = { delegationId: uuid, partnerId: nonEmpty, clientId: nonEmpty } as const;

export const consentSchemas = {
  DelegationGranted: {
    1: objectSchema(
      [
        'delegationId',
        'partnerId',
        'clientId',
        'offerId',
        'grantedRoles',
        'grantedBy',
        'expiresAt',
        'autoExtend',
        'client',
        'includes',
      ],
      {
        ...ids,
        offerId: nonEmpty,
        grantedRoles: roles,
        grantedBy: nonEmpty,
        grantedAt: isoDateTime,
        expiresAt: nullableDateTime,
        delegationDuration: { type: ['string', 'null'], pattern: '^P' },
        autoExtend: { type: 'boolean' },
        client,
        includes,
        // Partner user ids are UPNs; the mailer takes them as they are (no TLD required on an intranet).
        partnerContacts: { type: 'array', items: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' } },
      },
    ),
  },
  DelegationRevoked: {
    1: objectSchema(['delegationId', 'partnerId', 'clientId', 'revokedBy', 'side'], {
      ...ids,
      revokedBy: nonEmpty,
      side: { enum: ['client', 'partner'] },
      reason: { type: 'string', maxLength: 2000 },
    }),
  },
  DelegationExpired: {
    1: objectSchema(['delegationId', 'partnerId', 'clientId'], { ...ids, expiredAt: isoDateTime }),
  },
  DelegationExtended: {
    1: objectSchema(['delegationId', 'expiresAt'], {
      ...ids,
      previousExpiresAt: isoDateTime,
      expiresAt: isoDateTime,
    }),
  },
  RoleAssigned: {
    1: objectSchema(['partnerId', 'userId', 'role', 'previousRole', 'assignedBy'], {
      partnerId: nonEmpty,
      userId: nonEmpty,
      role,
      previousRole: { oneOf: [role, { type: 'null' }] },
      assignedBy: nonEmpty,
    }),
  },
  RoleRevoked: {
    1: objectSchema(['partnerId', 'userId', 'previousRole', 'revokedBy'], {
      partnerId: nonEmpty,
      userId: nonEmpty,
      previousRole: role,
      revokedBy: nonEmpty,
    }),
  },
} as const;
