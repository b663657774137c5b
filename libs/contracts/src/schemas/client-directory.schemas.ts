import { address, nonEmpty, objectSchema } from './common.schemas.js';

const subscription = objectSchema(
  ['clientId', 'partnerId', 'subscriptionId', 'productId', 'name', 'quantity', 'status'],
  {
    clientId: nonEmpty,
    partnerId: nonEmpty,
    subscriptionId: nonEmpty,
    productId: nonEmpty,
    name: nonEmpty,
    quantity: { type: 'integer', minimum: 0 },
    status: { enum: ['active', 'trial', 'suspended'] },
    delegationId: nonEmpty,
  },
);

export const clientDirectorySchemas = {
  ClientProfileUpdated: {
    1: objectSchema(['clientId', 'partnerId'], {
      clientId: nonEmpty,
      partnerId: nonEmpty,
      name: { type: 'string', minLength: 1, maxLength: 256 },
      address,
      tags: {
        type: 'array',
        maxItems: 30,
        uniqueItems: true,
        items: { type: 'string', minLength: 1, maxLength: 40 },
      },
      updatedBy: nonEmpty,
    }),
  },
  SubscriptionAdded: { 1: subscription },
  SubscriptionChanged: { 1: subscription },
  SubscriptionRemoved: { 1: subscription },
} as const;
