#!/usr/bin/env node
/**
 * Fills a running standalone instance with a realistic data set, through the public HTTP API only:
 * a few partners, several hundred clients each (some shared between partners), offers with bundled
 * trials and purchases, delegated roles, tags, health incidents and advisories (some resolved),
 * service requests in every state, and a few revoked delegations.
 *
 *   npm run demo                         # against http://localhost:${PORT:-3000}
 *   DEMO_BASE_URL=http://host:3000 DEMO_PARTNERS=3 DEMO_CLIENTS=300 node tools/dist/demo-data.js
 *
 * Tokens are minted with AUTH_JWT_SECRET (the development secret when unset), as the instance checks them.
 */
import { randomUUID } from 'node:crypto';
import { DEV_JWT_SECRET, mintToken } from '@dap/platform';

const BASE = process.env.DEMO_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const SECRET = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
const PLATFORM = process.env.PLATFORM_TENANT_ID ?? 'platform';
const PARTNERS = Number(process.env.DEMO_PARTNERS ?? 3);
const CLIENTS = Number(process.env.DEMO_CLIENTS ?? 300);
const PARALLEL = Number(process.env.DEMO_PARALLEL ?? 8);
/** The consent service lets 60 acceptances a minute through per offer: one offer per this many clients. */
const CLIENTS_PER_OFFER = 50;

const PARTNER_NAMES = [
  'Blue Sky Cloud Services',
  'Northern Lights IT',
  'Red Dragon Systems',
  'Jade River Consulting',
  'Golden Gate MSP',
];
const ORG_FIRST = [
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
  'Trey',
  'Wide World',
  'Fourth Coffee',
  'Graphic',
  'Datum',
  'Relecloud',
];
const ORG_SECOND = [
  'Trading',
  'Logistics',
  'Pharmaceuticals',
  'Bank',
  'Foods',
  'Motors',
  'Energy',
  'Media',
  'Retail',
  'Textiles',
  'Insurance',
  'Hotels',
  'Software',
  'Shipping',
  'Chemicals',
];
const CITIES = [
  ['Beijing', 'BJ', '100000'],
  ['Shanghai', 'SH', '200000'],
  ['Shenzhen', 'GD', '518000'],
  ['Guangzhou', 'GD', '510000'],
  ['Chengdu', 'SC', '610000'],
  ['Hangzhou', 'ZJ', '310000'],
];
const TAGS = [
  'vip',
  'education',
  'government',
  'healthcare',
  'finance',
  'retail',
  'renewal-q1',
  'migration',
  'smb',
  'enterprise',
];
const SERVICES = [
  'Exchange Online',
  'SharePoint Online',
  'Microsoft Teams',
  'Microsoft Entra',
  'OneDrive for Business',
  'Microsoft 365 Apps',
];
const PRODUCTS = [
  'o365-e1',
  'o365-e3',
  'm365-business-basic',
  'm365-business-premium',
  'exchange-online-plan-1',
];

let seed = 42;
/** Deterministic pseudo-random numbers, so two runs build the same shape. */
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];

interface Reply {
  status: number;
  body: any;
  position: string | null;
}

async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if ((response.status === 429 || response.status === 503) && attempt < 30) {
      await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (response.status >= 400)
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      position: response.headers.get('x-event-position'),
    };
  }
}

/** Runs `work` over `items`, at most PARALLEL at a time. */
async function each<T, R>(items: T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

const token = (sub: string, tid: string, roles: string[]) => mintToken(SECRET, { sub, tid, roles }, '2h');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

interface Client {
  tenantId: string;
  name: string;
  primaryDomain: string;
  address: object;
}

function makeClients(count: number): Client[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${pick(ORG_FIRST)} ${pick(ORG_SECOND)} ${i + 1}`;
    const [city, region, postalCode] = pick(CITIES);
    return {
      tenantId: randomUUID(),
      name,
      primaryDomain: `${slug(name)}.partner.onmschina.cn`,
      address: {
        line1: `${1 + Math.floor(rnd() * 999)} ${pick(['Century', 'Nanjing', 'Huaihai', 'Zhongshan', 'Jianguo'])} Road`,
        city,
        region,
        postalCode,
        country: 'CN',
      },
    };
  });
}

async function main() {
  const started = Date.now();
  const publisher = await token('demo-health-feed', PLATFORM, ['platform.health-publisher']);
  const clients = makeClients(Math.round(CLIENTS * PARTNERS * 0.9));
  const counts = {
    partners: 0,
    offers: 0,
    delegations: 0,
    revoked: 0,
    issues: 0,
    resolved: 0,
    requests: 0,
    tags: 0,
  };
  const delegated: {
    partnerId: string;
    admin: string;
    agentUser: string;
    agent: string;
    clients: Client[];
  }[] = [];

  for (let p = 0; p < PARTNERS; p++) {
    const partnerId = `demo-partner-${p + 1}`;
    const name = PARTNER_NAMES[p % PARTNER_NAMES.length];
    const adminUser = `admin@${slug(name)}.example`;
    const agentUser = `agent@${slug(name)}.example`;
    const admin = await token(adminUser, partnerId, ['partner.admin']);
    const agent = await token(agentUser, partnerId, ['partner.agent']);
    await call('PUT', `/partner-users/${encodeURIComponent(adminUser)}/delegated-role`, admin, {
      role: 'full',
    });
    await call('PUT', `/partner-users/${encodeURIComponent(agentUser)}/delegated-role`, admin, {
      role: 'limited',
    });

    // Each partner serves a window of the clients; windows overlap, so some clients have two partners.
    const start = Math.floor((p * clients.length) / (PARTNERS + 0.5));
    const mine = [...clients, ...clients].slice(start, start + CLIENTS);
    const offers = await each(
      Array.from({ length: Math.ceil(mine.length / CLIENTS_PER_OFFER) }),
      async (_, i) => {
        const body =
          i % 3 === 0
            ? {
                includes: { trial: { productId: pick(PRODUCTS) } },
                delegationDuration: 'P180D',
                grantedRoles: ['limited'],
                autoExtend: true,
              }
            : i % 3 === 1
              ? {
                  includes: {
                    purchase: { productId: pick(PRODUCTS), quantity: 5 + Math.floor(rnd() * 200) },
                  },
                }
              : { delegationDuration: 'P365D' };
        const offer = await call('POST', '/offers', admin, body);
        return { url: new URL(offer.body.acceptUrl), position: offer.position };
      },
    );
    counts.offers += offers.length;

    const accepted = await each(mine, async (client, i) => {
      const offer = offers[Math.floor(i / CLIENTS_PER_OFFER)];
      const clientAdmin = await token(`admin@${client.primaryDomain}`, client.tenantId, ['client.admin']);
      const offerId = offer.url.pathname.split('/').pop();
      const code = offer.url.searchParams.get('code');
      const res = await call(
        'POST',
        `/offer-links/${offerId}/accept?code=${encodeURIComponent(code!)}`,
        clientAdmin,
        { client: { name: client.name, primaryDomain: client.primaryDomain, address: client.address } },
        offer.position ? { 'x-min-position': offer.position } : {},
      );
      return { client, clientAdmin, delegationId: res.body.delegationId as string, position: res.position! };
    });
    counts.delegations += accepted.length;

    // Tags on about a third of the clients (the partner's own bookkeeping).
    const lastPosition = accepted[accepted.length - 1].position;
    await each(
      accepted.filter(() => rnd() < 0.35),
      async ({ client }) => {
        const tags = [...new Set([pick(TAGS), pick(TAGS)])];
        await call(
          'PATCH',
          `/clients/${client.tenantId}`,
          admin,
          { tags },
          { 'x-min-position': lastPosition },
        );
        counts.tags += 1;
      },
    );

    // Service requests in every state, opened by the partner's users within their delegated roles.
    await each(
      accepted.filter(() => rnd() < 0.3),
      async ({ client, position }, i) => {
        const opener = i % 2 === 0 ? admin : agent;
        const sr = await call(
          'POST',
          '/service-requests',
          opener,
          {
            clientId: client.tenantId,
            title: pick([
              'Mailbox cannot receive external mail',
              'Restore deleted SharePoint site',
              'Licence assignment fails',
              'Teams meetings drop after 10 minutes',
              'Password reset for CEO',
            ]),
            description: 'Reported by the client administrator by phone; details in the attached notes.',
            severity: pick(['critical', 'moderate', 'minimal']),
            contact: { name: 'Client IT desk', email: `it@${client.primaryDomain}` },
          },
          { 'x-min-position': position },
        );
        counts.requests += 1;
        const id = sr.body.id ?? sr.body.requestId;
        const roll = rnd();
        if (roll < 0.3)
          await call('POST', `/service-requests/${id}/status`, opener, {
            status: 'attentionNeeded',
            note: 'Waiting for the client to confirm.',
          });
        else if (roll < 0.6)
          await call('POST', `/service-requests/${id}/status`, opener, {
            status: 'closed',
            note: 'Resolved.',
          });
      },
    );

    // A few clients end the relationship.
    for (const { delegationId, clientAdmin } of accepted.filter(() => rnd() < 0.03)) {
      await call('POST', `/delegations/${delegationId}/revoke`, clientAdmin, {
        reason: 'Moved to another partner',
      });
      counts.revoked += 1;
    }
    delegated.push({ partnerId, admin, agentUser, agent, clients: mine });
    counts.partners += 1;
    console.log(`${partnerId} (${name}): ${offers.length} offers, ${accepted.length} clients`);
  }

  // Health issues of both classifications across the clients; some already resolved.
  const issues = Array.from({ length: 40 }, (_, i) => ({
    issueId: `DEMO${1000 + i}`,
    service: pick(SERVICES),
    classification: i % 3 === 0 ? 'incident' : 'advisory',
  }));
  await each(issues, async (issue, i) => {
    const affected = clients
      .filter(() => rnd() < (issue.classification === 'incident' ? 0.02 : 0.05))
      .map((c) => c.tenantId);
    if (affected.length === 0) return;
    await call('POST', '/health-issues', publisher, {
      ...issue,
      clientIds: affected,
      title:
        issue.classification === 'incident'
          ? `${issue.service}: users cannot connect`
          : `${issue.service}: planned change may affect some users`,
      impactDescription: 'Some users in the affected organizations may be impacted.',
      status: issue.classification === 'incident' ? 'serviceDegradation' : 'investigating',
      startDateTime: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    });
    counts.issues += 1;
    if (i % 4 === 0) {
      await call('POST', `/health-issues/${issue.issueId}/updates`, publisher, {
        status: 'serviceRestored',
        message: 'The issue is resolved.',
      });
      counts.resolved += 1;
    } else if (i % 4 === 1) {
      await call('POST', `/health-issues/${issue.issueId}/updates`, publisher, {
        status: 'restoringService',
        message: 'A fix is rolling out.',
      });
    }
  });

  console.log(
    JSON.stringify({ baseUrl: BASE, ...counts, seconds: Math.round((Date.now() - started) / 1000) }),
  );
  const sample = delegated[0];
  if (sample)
    console.log(
      `try: curl -H "Authorization: Bearer ${sample.agent}" "${BASE}/api/v1/clients?sort=health&limit=5"`,
    );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
