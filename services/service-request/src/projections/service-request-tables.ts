import { migrate, type SqlClient } from '@dap/eventsourcing';

/** The service-request service's schema (its store, its read tables and its consumer checkpoints). */
export const SERVICE_REQUEST_SCHEMA = 'service-request';

export const serviceRequestTablesDdl = `
  CREATE SCHEMA IF NOT EXISTS "service-request";
  CREATE TABLE IF NOT EXISTS "service-request".delegations (
    delegation_id text PRIMARY KEY,
    partner_id text NOT NULL,
    client_id text NOT NULL,
    status text NOT NULL,
    granted_roles jsonb NOT NULL DEFAULT '[]',
    expires_at timestamptz,
    position bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS delegations_partner_client ON "service-request".delegations (partner_id, client_id);
  CREATE TABLE IF NOT EXISTS "service-request".partner_roles (
    partner_id text NOT NULL,
    user_id text NOT NULL,
    role text,
    position bigint NOT NULL,
    PRIMARY KEY (partner_id, user_id)
  );
  CREATE TABLE IF NOT EXISTS "service-request".requests (
    request_id text PRIMARY KEY,
    partner_id text NOT NULL,
    client_id text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    severity text NOT NULL,
    contact jsonb NOT NULL,
    status text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    stream_version integer NOT NULL,
    created_position bigint NOT NULL UNIQUE
  );
  CREATE INDEX IF NOT EXISTS requests_partner ON "service-request".requests (partner_id, created_position DESC);
  CREATE INDEX IF NOT EXISTS requests_client ON "service-request".requests (client_id, created_position DESC);
  CREATE TABLE IF NOT EXISTS "service-request".activity (
    request_id text NOT NULL,
    stream_version integer NOT NULL,
    kind text NOT NULL,
    text text,
    from_status text,
    to_status text,
    author text,
    at timestamptz NOT NULL,
    PRIMARY KEY (request_id, stream_version)
  );`;

/** The tables each service-request projection owns. */
export const ACCESS_TABLES = ['delegations', 'partner_roles'];
export const SERVICE_REQUESTS_TABLES = ['requests', 'activity'];

export const migrateServiceRequestTables = (db: SqlClient) => migrate(db, serviceRequestTablesDdl);
