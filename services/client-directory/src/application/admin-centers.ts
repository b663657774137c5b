export interface AdminCenterTemplate {
  name: string;
  /** A URL with `{tenantId}` and `{primaryDomain}` placeholders. */
  url: string;
}

/** Where a partner administers a client, as Microsoft partner center's delegated links do. */
export const DEFAULT_ADMIN_CENTERS: AdminCenterTemplate[] = [
  {
    name: 'Microsoft 365 admin center',
    url: 'https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID={tenantId}&CSDEST=o365admincenter',
  },
  {
    name: 'Exchange admin center',
    url: 'https://admin.exchange.microsoft.com/?landingpage=homepage&delegatedOrg={primaryDomain}',
  },
  {
    name: 'SharePoint admin center',
    url: 'https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID={tenantId}&CSDEST=SharePoint',
  },
  { name: 'Teams admin center', url: 'https://admin.teams.microsoft.com/?delegatedOrg={primaryDomain}' },
  { name: 'Microsoft Entra admin center', url: 'https://entra.microsoft.com/{tenantId}' },
];

/**
 * `ADMIN_CENTER_TEMPLATES`: a JSON array of `{ name, url }` (or an object name → url). Unset: the
 * defaults. Anything else stops start-up with a line naming the variable.
 */
export function adminCenterTemplates(raw: string | undefined): AdminCenterTemplate[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_ADMIN_CENTERS;
  const fail = (why: string): never => {
    throw new Error(`ADMIN_CENTER_TEMPLATES ${why}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('must be JSON: [{ "name": "...", "url": "https://...{tenantId}..." }]');
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object'
      ? Object.entries(parsed).map(([name, url]) => ({ name, url }))
      : fail('must be a JSON array or object');
  return (list as unknown[]).map((t, i) => {
    const { name, url } = (t ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !name || typeof url !== 'string' || !/^https?:\/\//.test(url))
      fail(`[${i}] needs a name and an http(s) url`);
    return { name: name as string, url: url as string };
  });
}

/** Fills the placeholders (URL-encoded) of every template for one client. */
export const adminCentersFor = (templates: AdminCenterTemplate[], tenantId: string, primaryDomain: string) =>
  templates.map((t) => ({
    name: t.name,
    url: t.url
      .replaceAll('{tenantId}', encodeURIComponent(tenantId))
      .replaceAll('{primaryDomain}', encodeURIComponent(primaryDomain)),
  }));
