import { migrate, type SqlClient } from '@dap/eventsourcing';

/** The health service's schema (its store, its read tables and its consumer checkpoints). */
export const HEALTH_SCHEMA = 'health';

export const healthTablesDdl = `
  CREATE SCHEMA IF NOT EXISTS health;
  CREATE TABLE IF NOT EXISTS health.partner_clients (
    delegation_id text PRIMARY KEY,
    partner_id text NOT NULL,
    client_id text NOT NULL,
    active boolean NOT NULL,
    position bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS partner_clients_active ON health.partner_clients (partner_id, client_id) WHERE active;
  CREATE TABLE IF NOT EXISTS health.issues (
    client_id text NOT NULL,
    issue_id text NOT NULL,
    service text NOT NULL,
    feature text,
    classification text NOT NULL,
    title text NOT NULL,
    impact_description text NOT NULL,
    status text NOT NULL,
    active boolean NOT NULL,
    start_date_time timestamptz NOT NULL,
    end_date_time timestamptz,
    last_message text,
    last_updated_at timestamptz NOT NULL,
    stream_version integer NOT NULL,
    raised_position bigint NOT NULL UNIQUE,
    PRIMARY KEY (client_id, issue_id)
  );
  CREATE INDEX IF NOT EXISTS issues_by_issue ON health.issues (issue_id);
  CREATE INDEX IF NOT EXISTS issues_active ON health.issues (client_id) WHERE active;`;

/** The tables each health projection owns. */
export const HEALTH_ISSUES_TABLES = ['issues'];
export const PARTNER_CLIENTS_TABLES = ['partner_clients'];

export const migrateHealthTables = (db: SqlClient) => migrate(db, healthTablesDdl);
