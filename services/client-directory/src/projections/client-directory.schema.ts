import { ident } from '@dap/eventsourcing';

/** The service's store, schema and token name. */
export const CLIENT_DIRECTORY = 'client-directory';

/** A table in the service's own schema, quoted (the schema name has a hyphen). */
export const table = (name: string): string => `${ident(CLIENT_DIRECTORY)}.${name}`;
