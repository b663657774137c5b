import { forbidden } from '@dap/eventsourcing';

/** Whose health the caller may see: a partner's delegated clients, one client's own, or everything. */
export type HealthScope =
  | { kind: 'partner'; partnerId: string }
  | { kind: 'client'; clientId: string }
  | { kind: 'all' };

/** SQL condition on a `client_id` column for a scope; `$n` is the next free parameter. */
export function scopeCondition(
  scope: HealthScope,
  column: string,
  param: number,
): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'partner':
      return {
        sql: `EXISTS (SELECT 1 FROM health.partner_clients pc WHERE pc.partner_id = $${param} AND pc.client_id = ${column} AND pc.active)`,
        params: [scope.partnerId],
      };
    case 'client':
      return { sql: `${column} = $${param}`, params: [scope.clientId] };
    case 'all':
      return { sql: 'TRUE', params: [] };
  }
}

/** The scope of a principal: partner roles see their delegated clients, client.admin its own tenant. */
export function scopeOf(principal: { tid: string; roles: readonly string[] }): HealthScope {
  if (principal.roles.includes('partner.admin') || principal.roles.includes('partner.agent'))
    return { kind: 'partner', partnerId: principal.tid };
  if (principal.roles.includes('client.admin')) return { kind: 'client', clientId: principal.tid };
  if (principal.roles.includes('platform.health-publisher')) return { kind: 'all' };
  throw forbidden('only partners, client administrators and the health publisher read health');
}
