import { literal } from '@dap/eventsourcing';
import { CLIENT_DIRECTORY, table } from './client-directory.schema.js';

const ACTIVE = `WHERE delegation_status = 'active'`;
/**
 * A GIN index keeps new entries in a pending list that every search reads through: at the default
 * 4 MB (20,000 rows of the list rewritten) an exact-domain search took 13 ms instead of 5, the 1% search
 * 4.8 instead of 2.8, and the planner chose a sequential scan after a bulk fill. The price is on bursts
 * of writes: the writer, not autovacuum, moves the list into the index more often; 10,000 rows of an
 * incident in 20 batches took 676-717 ms instead of 573-675 (PostgreSQL 15, 100,000 rows).
 */
const GIN_PENDING = `gin_pending_list_limit = 256`;

/** `CREATE INDEX` statements on one table, by index name. */
const indexesOn = (tableName: string, how: Record<string, string>) =>
  Object.entries(how).map(([name, rest]) => [
    name,
    `CREATE INDEX IF NOT EXISTS ${name} ON ${table(tableName)} ${rest}`,
  ]);

/**
 * Indexes only the list's queries use, never the projection's own writes, by name: a rebuild drops them
 * for the replay and builds each once at the end (much cheaper than maintaining the trigram indexes row
 * by row), the largest first, two at a time.
 */
export const CLIENT_LIST_READ_INDEXES: Record<string, string> = Object.fromEntries([
  ...indexesOn('client_list', {
    client_list_domain_trgm: `USING gin (sort_domain gin_trgm_ops) WITH (${GIN_PENDING})`,
    client_list_name_trgm: `USING gin (sort_name gin_trgm_ops) WITH (${GIN_PENDING})`,
    client_list_by_name: `(partner_id, sort_name, client_id) ${ACTIVE}`,
    client_list_by_domain: `(partner_id, sort_domain, client_id) ${ACTIVE}`,
    client_list_by_granted: `(partner_id, granted_at, client_id) ${ACTIVE}`,
    client_list_by_expiry: `(partner_id, expires_sort, client_id) ${ACTIVE}`,
    client_list_tags: `USING gin (tags) WITH (${GIN_PENDING})`,
  }),
  ...indexesOn('client_activity', {
    client_activity_by_health: `(partner_id, health_rank, sort_name, client_id) WHERE active`,
    client_activity_by_requests: `(partner_id, open_service_requests, sort_name, client_id) WHERE active`,
  }),
]);
const GIN_INDEXES = Object.keys(CLIENT_LIST_READ_INDEXES).filter((name) =>
  CLIENT_LIST_READ_INDEXES[name].includes(GIN_PENDING),
);
const readIndexDdl = Object.values(CLIENT_LIST_READ_INDEXES)
  .map((statement) => `  ${statement};`)
  .join('\n');

/**
 * The client management list and what feeds it, in the service's schema. Idempotent.
 *
 * - `client_list`: one row per (partner, client) that ever granted delegation; the list shows the
 *   rows whose delegation is active. Name, domain and tags are denormalised into it so that search,
 *   sort and filters touch one table; `sort_name` / `sort_domain` are lower-cased; `expires_sort` is
 *   `expires_at` or 'infinity' so that keyset paging never meets a null.
 * - `client_activity`: beside each list row, what changes often: health counts, `health_rank`
 *   (0 incident, 1 advisory, 2 healthy) and open service requests, with copies of the row's `active`
 *   status and `sort_name` for the two sort indexes. Kept apart because a changed sort key rewrites a row
 *   in every index of its table: on the wide row (it had twelve, three of them trigram and tag GIN) an
 *   incident on 1,000 clients wrote 17 MB of WAL and took 180-540 ms; on this narrow one 2 MB, 40-140 ms.
 * - `client_profiles`, `client_subscriptions`: the partner's own profile stream, kept apart so that
 *   it can arrive before or after the delegation it belongs to.
 * - `partner_user_roles`: each partner user's delegated role (who may manage subscriptions).
 * - `health_issues`, `service_requests`: what the health and service-request services published,
 *   per client, from which the counts are recomputed (so a redelivered event changes nothing).
 *
 * Every row remembers the global position of the last event applied to it, per source store, and
 * ignores anything at or below it: the projection fed every event twice ends the same.
 */
export const clientListDdl = `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE SCHEMA IF NOT EXISTS "client-directory";
  CREATE TABLE IF NOT EXISTS ${table('client_list')} (
    partner_id text NOT NULL,
    client_id text NOT NULL,
    delegation_id text NOT NULL,
    delegation_status text NOT NULL,
    granted_roles text[] NOT NULL,
    granted_at timestamptz NOT NULL,
    expires_at timestamptz,
    expires_sort timestamptz NOT NULL,
    auto_extend boolean NOT NULL DEFAULT false,
    snapshot_name text NOT NULL,
    snapshot_address jsonb,
    name text NOT NULL,
    sort_name text NOT NULL,
    primary_domain text NOT NULL,
    sort_domain text NOT NULL,
    address jsonb,
    tags text[] NOT NULL DEFAULT '{}',
    profile_version integer NOT NULL DEFAULT 0,
    consent_position bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, client_id)
  );
  CREATE TABLE IF NOT EXISTS ${table('client_activity')} (
    partner_id text NOT NULL,
    client_id text NOT NULL,
    active boolean NOT NULL,
    sort_name text NOT NULL,
    health_rank smallint NOT NULL DEFAULT 2,
    active_incidents integer NOT NULL DEFAULT 0,
    active_advisories integer NOT NULL DEFAULT 0,
    open_service_requests integer NOT NULL DEFAULT 0,
    -- Client first: health events name a client, not a partner, and recount every partner's row of it.
    PRIMARY KEY (client_id, partner_id)
  );
  -- A list made when the wide row held these columns: they move over once (no trigger counts them: the
  -- counts table already holds them), and leave the wide row with their indexes. The planner gets
  -- statistics at once: without them it walked the whole partner to find one incident (170 ms).
  DO $$
  BEGIN
    IF EXISTS (SELECT FROM information_schema.columns
                WHERE table_schema = ${literal(CLIENT_DIRECTORY)} AND table_name = 'client_list' AND column_name = 'health_rank') THEN
      DROP TRIGGER IF EXISTS client_list_counting ON ${table('client_list')};
      DROP TRIGGER IF EXISTS client_list_counting_insert ON ${table('client_list')};
      DROP TRIGGER IF EXISTS client_list_counting_update ON ${table('client_list')};
      DROP TRIGGER IF EXISTS client_list_counting_delete ON ${table('client_list')};
      DROP INDEX IF EXISTS ${table('client_list_client')};
      INSERT INTO ${table('client_activity')} (partner_id, client_id, active, sort_name, health_rank, active_incidents,
             active_advisories, open_service_requests)
        SELECT partner_id, client_id, delegation_status = 'active', sort_name, health_rank, active_incidents,
               active_advisories, open_service_requests FROM ${table('client_list')}
        ON CONFLICT DO NOTHING;
      ALTER TABLE ${table('client_list')} DROP COLUMN health_rank, DROP COLUMN active_incidents,
        DROP COLUMN active_advisories, DROP COLUMN open_service_requests;
      ANALYZE ${table('client_activity')};
    END IF;
  END $$;
${readIndexDdl}
  -- Indexes made before the pending list was limited get the limit (and only they: no lock at every start).
  DO $$
  DECLARE ix regclass;
  BEGIN
    FOREACH ix IN ARRAY ARRAY[${GIN_INDEXES.map((name) => `to_regclass(${literal(table(name))})`).join(', ')}] LOOP
      IF ix IS NOT NULL AND NOT coalesce((SELECT reloptions FROM pg_class WHERE oid = ix), '{}') @> ARRAY[${literal(GIN_PENDING.replace(/ /g, ''))}] THEN
        EXECUTE format('ALTER INDEX %s SET (${GIN_PENDING})', ix);
      END IF;
    END LOOP;
  END $$;
  CREATE INDEX IF NOT EXISTS client_list_delegation ON ${table('client_list')} (delegation_id);

  -- Rows per (partner, health) with an active delegation, kept by a trigger: the unfiltered total.
  CREATE TABLE IF NOT EXISTS ${table('client_list_counts')} (
    partner_id text NOT NULL,
    health_rank smallint NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (partner_id, health_rank)
  );
  -- Per statement, from its transition tables: a statement writing 10,000 rows changes each count once.
  CREATE OR REPLACE FUNCTION ${table('count_client_list')}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO ${table('client_list_counts')} AS c (partner_id, health_rank, n)
        SELECT partner_id, health_rank, count(*) FROM new_rows WHERE active GROUP BY 1, 2
        ON CONFLICT (partner_id, health_rank) DO UPDATE SET n = c.n + EXCLUDED.n;
      RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
      UPDATE ${table('client_list_counts')} c SET n = c.n - o.k
        FROM (SELECT partner_id, health_rank, count(*)::int AS k FROM old_rows WHERE active GROUP BY 1, 2) o
       WHERE c.partner_id = o.partner_id AND c.health_rank = o.health_rank;
    ELSE
      INSERT INTO ${table('client_list_counts')} AS c (partner_id, health_rank, n)
        SELECT partner_id, health_rank, sum(d)::int FROM (
            SELECT partner_id, health_rank, 1 AS d FROM new_rows WHERE active
            UNION ALL SELECT partner_id, health_rank, -1 FROM old_rows WHERE active) x
         GROUP BY 1, 2 HAVING sum(d) <> 0
        ON CONFLICT (partner_id, health_rank) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    -- A count that reaches zero goes, so the table does not depend on the order rows came and went in.
    DELETE FROM ${table('client_list_counts')} WHERE n <= 0;
    RETURN NULL;
  END $$;
  CREATE OR REPLACE TRIGGER client_activity_counting_insert AFTER INSERT ON ${table('client_activity')}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table('count_client_list')}();
  CREATE OR REPLACE TRIGGER client_activity_counting_update AFTER UPDATE ON ${table('client_activity')}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table('count_client_list')}();
  CREATE OR REPLACE TRIGGER client_activity_counting_delete AFTER DELETE ON ${table('client_activity')}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table('count_client_list')}();

  CREATE TABLE IF NOT EXISTS ${table('client_profiles')} (
    partner_id text NOT NULL,
    client_id text NOT NULL,
    name text,
    address jsonb,
    tags text[],
    version integer NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (partner_id, client_id)
  );
  CREATE TABLE IF NOT EXISTS ${table('client_subscriptions')} (
    partner_id text NOT NULL,
    client_id text NOT NULL,
    subscription_id text NOT NULL,
    product_id text NOT NULL,
    name text NOT NULL,
    quantity integer NOT NULL,
    status text NOT NULL,
    delegation_id text,
    removed boolean NOT NULL DEFAULT false,
    position bigint NOT NULL,
    PRIMARY KEY (partner_id, client_id, subscription_id)
  );

  CREATE TABLE IF NOT EXISTS ${table('health_issues')} (
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
    position bigint NOT NULL,
    PRIMARY KEY (client_id, issue_id)
  );

  CREATE TABLE IF NOT EXISTS ${table('service_requests')} (
    request_id text PRIMARY KEY,
    partner_id text NOT NULL,
    client_id text NOT NULL,
    title text NOT NULL,
    severity text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS service_requests_by_client ON ${table('service_requests')} (partner_id, client_id);

  CREATE TABLE IF NOT EXISTS ${table('partner_user_roles')} (
    partner_id text NOT NULL,
    user_id text NOT NULL,
    role text,
    position bigint NOT NULL,
    PRIMARY KEY (partner_id, user_id)
  );
`;

/** Tables the client-list projection owns, cleared by a rebuild. */
export const CLIENT_LIST_TABLES = [
  'client_list',
  'client_activity',
  'client_list_counts',
  'client_profiles',
  'client_subscriptions',
  'health_issues',
  'service_requests',
  'partner_user_roles',
];
