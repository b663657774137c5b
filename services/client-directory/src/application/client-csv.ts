import type { ClientListItem } from './client-list.types.js';

export const CSV_HEADER = [
  'clientId',
  'name',
  'primaryDomain',
  'delegationId',
  'delegationStatus',
  'grantedRoles',
  'grantedAt',
  'expiresAt',
  'health',
  'activeIncidents',
  'activeAdvisories',
  'openServiceRequests',
  'tags',
];

/** One CSV cell (RFC 4180), defused against formula injection when opened in a spreadsheet. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const csvRow = (i: ClientListItem): string =>
  csvLine([
    i.clientId,
    i.name,
    i.primaryDomain,
    i.delegation.id,
    i.delegation.status,
    i.delegation.grantedRoles.join(' '),
    i.delegation.grantedAt,
    i.delegation.expiresAt,
    i.health.status,
    i.health.activeIncidents,
    i.health.activeAdvisories,
    i.openServiceRequests,
    i.tags.join(';'),
  ]);
