import { migrate, type SqlClient } from '@dap/eventsourcing';

/** The consent service's store, schema and read tables are all named after it. */
export const CONSENT = 'consent';

/** Read tables in the `consent` schema. `last_position` lets a redelivered or replayed event change nothing. */
export const consentTablesDdl = `
  CREATE SCHEMA IF NOT EXISTS consent;
  CREATE TABLE IF NOT EXISTS consent.offers (
    offer_id text PRIMARY KEY, partner_id text NOT NULL, created_by text,
    granted_roles jsonb NOT NULL, delegation_duration text, auto_extend boolean NOT NULL,
    expires_at timestamptz, includes jsonb NOT NULL, message text,
    status text NOT NULL, code_hash text NOT NULL, last_position bigint NOT NULL);
  CREATE TABLE IF NOT EXISTS consent.delegations (
    delegation_id text PRIMARY KEY, partner_id text NOT NULL, client_id text NOT NULL, offer_id text NOT NULL,
    status text NOT NULL, granted_roles jsonb NOT NULL, granted_by text NOT NULL, granted_at timestamptz NOT NULL,
    expires_at timestamptz, period_start timestamptz NOT NULL, auto_extend boolean NOT NULL,
    client jsonb NOT NULL, includes jsonb NOT NULL, notify_to jsonb NOT NULL DEFAULT '[]',
    ended_at timestamptz, ended_by text, end_side text, end_reason text,
    stream_version integer NOT NULL, last_position bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS delegations_partner ON consent.delegations (partner_id, granted_at, delegation_id);
  CREATE INDEX IF NOT EXISTS delegations_client ON consent.delegations (client_id, granted_at, delegation_id);
  CREATE INDEX IF NOT EXISTS delegations_expiring ON consent.delegations (expires_at) WHERE status = 'active';
  CREATE TABLE IF NOT EXISTS consent.partner_users (
    partner_id text NOT NULL, user_id text NOT NULL, role text, since timestamptz NOT NULL, changed_by text NOT NULL,
    stream_version integer NOT NULL, last_position bigint NOT NULL, PRIMARY KEY (partner_id, user_id));
  CREATE TABLE IF NOT EXISTS consent.audit_chain (
    position bigint PRIMARY KEY, event_id uuid NOT NULL, type text NOT NULL, subject text NOT NULL,
    time timestamptz NOT NULL, partner_id text, client_id text, user_id text,
    record jsonb NOT NULL, hash text NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_chain_client ON consent.audit_chain (client_id, position);
  CREATE INDEX IF NOT EXISTS audit_chain_partner ON consent.audit_chain (partner_id, position);
  CREATE TABLE IF NOT EXISTS consent.expiry_notices (
    notice_id text PRIMARY KEY, delegation_id text NOT NULL, expires_at timestamptz NOT NULL,
    days_before integer NOT NULL, sent_at timestamptz NOT NULL);
  CREATE TABLE IF NOT EXISTS consent.scheduler_checkpoints (
    name text PRIMARY KEY, last_tick timestamptz NOT NULL, notices_sent bigint NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS consent.link_attempts (
    key text PRIMARY KEY, window_end timestamptz NOT NULL, hits integer NOT NULL);
  CREATE INDEX IF NOT EXISTS link_attempts_window_end ON consent.link_attempts (window_end);`;

/** The tables each consent projection owns (the other tables in the DDL belong to the scheduler, the audit chain and the offer-link rate limiter). */
export const OFFER_TERMS_TABLES = ['offers'];
export const DELEGATION_LIST_TABLES = ['delegations'];
export const PARTNER_USERS_TABLES = ['partner_users'];

export const migrateConsentTables = (db: SqlClient) => migrate(db, consentTablesDdl);
