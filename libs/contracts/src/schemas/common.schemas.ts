/** Shared JSON Schema fragments (draft 2020-12) used by the per-event schemas. */
export const uuid = { type: 'string', format: 'uuid' } as const;
export const isoDateTime = { type: 'string', format: 'date-time' } as const;
export const nonEmpty = { type: 'string', minLength: 1 } as const;
export const role = { enum: ['full', 'limited'] } as const;
export const roles = { type: 'array', items: role, minItems: 1, uniqueItems: true } as const;
export const sha256Hex = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
export const email = { type: 'string', format: 'email' } as const;

export const includes = {
  type: 'object',
  additionalProperties: false,
  properties: {
    trial: { type: 'object', required: ['productId'], properties: { productId: nonEmpty } },
    purchase: {
      type: 'object',
      required: ['productId', 'quantity'],
      properties: { productId: nonEmpty, quantity: { type: 'integer', minimum: 1 } },
    },
  },
} as const;

export const objectSchema = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  properties,
});

/** A postal address; `country` is ISO 3166-1 alpha-2. */
export const address = {
  type: 'object',
  required: ['line1', 'city', 'postalCode', 'country'],
  properties: {
    line1: nonEmpty,
    line2: { type: 'string' },
    city: nonEmpty,
    region: { type: 'string' },
    postalCode: nonEmpty,
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
  },
} as const;
