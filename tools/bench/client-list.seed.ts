import type { SqlClient } from '@dap/eventsourcing';
import { clientDirectoryTable } from '@dap/client-directory';

const FIRST = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Tailspin',
  'Litware',
  'Adatum',
  'Woodgrove',
  'Proseware',
  'Lucerne',
  'Coho',
  'Wingtip',
  'Alpine',
  'Margie',
  'Humongous',
  'Blue Yonder',
  'Fourth Coffee',
  'Graphic Design',
  'Trey Research',
  'Wide World',
  'Consolidated',
];
const SECOND = [
  'Holdings',
  'Trading',
  'Logistics',
  'Pharma',
  'Bank',
  'Foods',
  'Motors',
  'Energy',
  'Media',
  'Retail',
  'Textiles',
  'Insurance',
  'Airlines',
  'Electronics',
  'Hotels',
  'Software',
  'Shipping',
  'Chemicals',
  'Mining',
  'Realty',
];
const sqlArray = (words: string[]) => `ARRAY[${words.map((w) => `'${w}'`).join(',')}]`;

/** 100,000 rows for one partner (1% incidents, ~3% advisories, tags on 10%), 5,000 for another. */
export async function seed(db: SqlClient, partner: string, count: number, offset: number) {
  const name = `(${sqlArray(FIRST)})[1 + i % ${FIRST.length}] || ' ' || (${sqlArray(SECOND)})[1 + (i / ${FIRST.length}) % ${SECOND.length}] || ' ' || i`;
  const domain = `lower(replace((${sqlArray(FIRST)})[1 + i % ${FIRST.length}], ' ', '')) || '-' || lower((${sqlArray(SECOND)})[1 + (i / ${FIRST.length}) % ${SECOND.length}]) || i || '.cn'`;
  await db.exec(`
    INSERT INTO ${clientDirectoryTable('client_list')} (partner_id, client_id, delegation_id, delegation_status, granted_roles, granted_at,
      expires_at, expires_sort, snapshot_name, name, sort_name, primary_domain, sort_domain, tags)
    SELECT '${partner}', 'client-' || lpad(i::text, 7, '0'), 'delegation-' || i, CASE WHEN i % 50 = 7 THEN 'revoked' ELSE 'active' END,
           ARRAY['full','limited'], timestamptz '2026-01-01' + (i || ' minutes')::interval,
           CASE WHEN i % 3 = 0 THEN timestamptz '2027-01-01' + (i || ' minutes')::interval END,
           coalesce(CASE WHEN i % 3 = 0 THEN timestamptz '2027-01-01' + (i || ' minutes')::interval END, 'infinity'),
           n, n, lower(n), d, lower(d), CASE WHEN i % 10 = 0 THEN ARRAY['vip'] ELSE '{}' END
      FROM (SELECT i, ${name} AS n, ${domain} AS d FROM generate_series(${offset + 1}, ${offset + count}) AS i) s;
    INSERT INTO ${clientDirectoryTable('client_activity')} (partner_id, client_id, active, sort_name, health_rank, active_incidents,
      active_advisories, open_service_requests)
    SELECT '${partner}', 'client-' || lpad(i::text, 7, '0'), i % 50 <> 7, lower(${name}),
           CASE WHEN i % 100 = 0 THEN 0 WHEN i % 33 = 0 THEN 1 ELSE 2 END,
           CASE WHEN i % 100 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 33 = 0 THEN 1 ELSE 0 END, i % 4
      FROM generate_series(${offset + 1}, ${offset + count}) AS i;
    ANALYZE ${clientDirectoryTable('client_list')};
    ANALYZE ${clientDirectoryTable('client_activity')};`);
}
