import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { offerSchemas } from './offer.schemas.js';
import { clientDirectorySchemas } from './client-directory.schemas.js';
import { consentSchemas } from './consent.schemas.js';
import { healthSchemas } from './health.schemas.js';
import { serviceRequestSchemas } from './service-request.schemas.js';

type SchemaTable = Record<string, Record<number, object>>;

/** Every published event type and payload version, with its JSON Schema (what downstream teams read). */
export const eventSchemas: SchemaTable = {
  ...offerSchemas,
  ...consentSchemas,
  ...clientDirectorySchemas,
  ...healthSchemas,
  ...serviceRequestSchemas,
};

/** Lets each service's contracts file add its schemas at module load. */
export function registerSchemas(table: SchemaTable): void {
  for (const [type, versions] of Object.entries(table))
    eventSchemas[type] = { ...eventSchemas[type], ...versions };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

export interface SchemaCheck {
  ok: boolean;
  errors: string[];
}

/** Validates an event payload against the schema of its type and version. Unknown types fail. */
export function validateEventData(type: string, schemaVersion: number, data: unknown): SchemaCheck {
  const schema = eventSchemas[type]?.[schemaVersion];
  if (!schema) return { ok: false, errors: [`no schema for ${type} v${schemaVersion}`] };
  const key = `${type}@${schemaVersion}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  const ok = validate(data);
  return {
    ok,
    errors: ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`),
  };
}
