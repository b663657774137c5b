export const CLIENT_SORTS = [
  'health',
  'name',
  'domain',
  'serviceRequests',
  'grantedAt',
  'expiresAt',
] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];
export const HEALTH_FILTERS = ['incident', 'advisory', 'healthy'] as const;
export type HealthFilter = (typeof HEALTH_FILTERS)[number];

export interface ListClientsParams {
  partnerId: string;
  search?: string;
  sort?: ClientSort;
  order?: 'asc' | 'desc';
  health?: HealthFilter;
  tag?: string;
  limit?: number;
  cursor?: string;
  /** Count the matching rows (default true; the CSV export pages without it). */
  withTotal?: boolean;
}

export interface ClientListItem {
  clientId: string;
  name: string;
  primaryDomain: string;
  delegation: {
    id: string;
    status: string;
    grantedRoles: string[];
    grantedAt: string;
    expiresAt: string | null;
  };
  health: { status: HealthFilter; activeIncidents: number; activeAdvisories: number };
  openServiceRequests: number;
  tags: string[];
}

export interface ClientListPage {
  items: ClientListItem[];
  nextCursor: string | null;
  total: number;
}
