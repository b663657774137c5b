import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mintToken } from '@dap/platform';
import { createTestDatabase, freePort, type TestDatabase } from '@dap/testing';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVICES = ['offer', 'consent', 'client-directory', 'health', 'service-request'] as const;
type Service = (typeof SERVICES)[number];
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const mainOf = (service: Service) => join(ROOT, 'services', service, 'dist', 'main.js');

interface ServiceProcess {
  service: Service;
  child: ChildProcess;
  baseUrl: string;
  dataDir: string;
  output: string[];
  exited: Promise<number | null>;
}

interface Reply {
  status: number;
  position: string | null;
  body: any;
}

/** Spawns `node services/<svc>/dist/main.js` on its own port, sharing one PostgreSQL database. */
async function startService(
  service: Service,
  env: Record<string, string>,
  port: number,
): Promise<ServiceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `dap-mp-${service}-`));
  const processEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // Distributed mode without Kafka: the store log in PostgreSQL is the only bus.
  for (const name of ['KAFKA_BROKERS', 'KURRENTDB_URL', 'EVENT_STORE', 'SMTP_URL', 'NODE_ENV'])
    delete processEnv[name];
  const child = spawn(process.execPath, [mainOf(service)], {
    cwd: ROOT,
    env: { ...processEnv, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { service, child, baseUrl: `http://127.0.0.1:${port}`, dataDir, output, exited };
}

/** Start-up: polls GET /health/ready until 200, failing early with the process's output if it dies. */
async function waitReady(p: ServiceProcess): Promise<void> {
  let dead = false;
  void p.exited.then(() => (dead = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline && !dead) {
    try {
      const response = await fetch(`${p.baseUrl}/health/ready`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${p.service} ${dead ? `exited (${p.child.exitCode})` : `not ready after ${START_TIMEOUT_MS} ms (${last})`}:\n${p.output.join('')}`,
  );
}

async function stopService(p: ServiceProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await p.exited;
    clearTimeout(timer);
  }
  rmSync(p.dataDir, { recursive: true, force: true });
}

/**
 * Distributed mode without Kafka: the five services as separate OS processes (their built
 * `dist/main.js`), one PostgreSQL database, each service appending to its own `<service>.events`
 * store and its consumers polling the other services' store logs. Every call goes to the process
 * that owns the resource, and a position token from one process is sent as `X-Min-Position` to
 * another, as a partner portal in front of the services would.
 */
describe('five services as separate processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  const procs = new Map<Service, ServiceProcess>();
  let admin: string;
  let clientAdmin: string;
  let publisher: string;
  // Not the development defaults: proves every process verifies with the one secret it was given.
  const jwtSecret = randomBytes(32).toString('hex');

  const call = async (
    service: Service,
    method: string,
    path: string,
    token: string,
    options: { body?: unknown; minPosition?: string | null } = {},
  ): Promise<Reply> => {
    const response = await fetch(`${procs.get(service)!.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...(options.minPosition && { 'x-min-position': options.minPosition }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      position: response.headers.get('x-event-position'),
      body: text ? JSON.parse(text) : undefined,
    };
  };

  beforeAll(async () => {
    for (const service of SERVICES)
      if (!existsSync(mainOf(service)))
        throw new Error(`${mainOf(service)} is missing: run \`npm run build\` first`);
    database = await createTestDatabase();
    const offerPort = await freePort();
    const shared = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      POLL_INTERVAL_MS: '50',
      AUTH_JWT_SECRET: jwtSecret,
      OFFER_LINK_SECRET: randomBytes(32).toString('hex'),
      PUBLIC_BASE_URL: `http://127.0.0.1:${offerPort}`,
    };
    // The offer process first, on the port PUBLIC_BASE_URL names; then the four others together.
    const offer = await startService('offer', shared, offerPort);
    procs.set('offer', offer);
    await waitReady(offer);
    const others = await Promise.all(
      SERVICES.slice(1).map(async (s) => startService(s, shared, await freePort())),
    );
    for (const p of others) procs.set(p.service, p);
    await Promise.all(others.map(waitReady));

    admin = await mintToken(jwtSecret, {
      sub: 'alice@partner-a',
      tid: 'partner-a',
      roles: ['partner.admin'],
    });
    clientAdmin = await mintToken(jwtSecret, {
      sub: 'admin@tenant-c1',
      tid: 'tenant-c1',
      roles: ['client.admin'],
    });
    publisher = await mintToken(jwtSecret, {
      sub: 'health-feed',
      tid: 'platform',
      roles: ['platform.health-publisher'],
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...procs.values()].map(stopService));
    await database?.drop();
  }, 30_000);

  it('carries an offer from creation to revocation across the five processes', async () => {
    const offer = await call('offer', 'POST', '/offers', admin, { body: { grantedRoles: ['full'] } });
    expect(offer.status).toBe(201);
    expect(offer.position).toMatch(/^offer:\d+$/);
    const code = new URL(offer.body.acceptUrl).searchParams.get('code');
    expect(offer.body.acceptUrl).toContain(procs.get('offer')!.baseUrl);

    // Consent knows the offer only from the offer store's log, read by its own consumer.
    const accepted = await call(
      'consent',
      'POST',
      `/offer-links/${offer.body.id}/accept?code=${code}`,
      clientAdmin,
      {
        minPosition: offer.position,
        body: {
          client: {
            name: 'Contoso Retail',
            primaryDomain: 'contoso-retail.example.com',
            address: { line1: '1 Main St', city: 'Shanghai', postalCode: '200000', country: 'CN' },
          },
        },
      },
    );
    expect(accepted.status).toBe(201);
    expect(accepted.position).toMatch(/^consent:\d+$/);
    const delegationId = accepted.body.delegationId;

    const role = await call('consent', 'PUT', '/partner-users/alice@partner-a/delegated-role', admin, {
      body: { role: 'full' },
    });
    expect(role.status).toBe(200);
    expect(role.position).toMatch(/^consent:\d+$/);

    const listed = await call('client-directory', 'GET', '/clients', admin, {
      minPosition: accepted.position,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toMatchObject([
      { clientId: 'tenant-c1', name: 'Contoso Retail', delegation: { id: delegationId, status: 'active' } },
    ]);

    const raised = await call('health', 'POST', '/health-issues', publisher, {
      body: {
        issueId: 'EX9',
        clientIds: ['tenant-c1'],
        service: 'Exchange Online',
        classification: 'incident',
        title: 'Mail delays',
        impactDescription: 'Mail is slow.',
        status: 'investigating',
        startDateTime: '2026-11-21T08:00:00Z',
      },
    });
    expect(raised.status).toBe(201);
    expect(raised.position).toMatch(/^health:\d+$/);
    const sick = await call('client-directory', 'GET', '/clients?health=incident', admin, {
      minPosition: raised.position,
    });
    expect(sick.status).toBe(200);
    expect(sick.body.items).toMatchObject([{ clientId: 'tenant-c1', health: { status: 'incident' } }]);

    // The service-request process learns delegation and role from the consent log.
    const request = await call('service-request', 'POST', '/service-requests', admin, {
      minPosition: role.position,
      body: {
        clientId: 'tenant-c1',
        title: 'Licences missing',
        description: 'Five E3 licences did not arrive.',
        severity: 'critical',
        contact: { name: 'Ada', email: 'ada@c1.example' },
      },
    });
    expect(request.status).toBe(201);
    expect(request.position).toMatch(/^service-request:\d+$/);
    const counted = await call('client-directory', 'GET', '/clients', admin, {
      minPosition: request.position,
    });
    expect(counted.body.items).toMatchObject([{ clientId: 'tenant-c1', openServiceRequests: 1 }]);

    const offerSeen = await call('offer', 'GET', `/offers/${offer.body.id}`, admin, {
      minPosition: accepted.position,
    });
    expect(offerSeen.status).toBe(200);
    expect(offerSeen.body.counts.acceptances).toBe(1);

    const revoked = await call('consent', 'POST', `/delegations/${delegationId}/revoke`, clientAdmin, {
      body: { reason: 'done' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.position).toMatch(/^consent:\d+$/);
    const gone = await call('client-directory', 'GET', '/clients', admin, { minPosition: revoked.position });
    expect(gone.status).toBe(200);
    expect(gone.body.total).toBe(0);
    const refused = await call('service-request', 'POST', '/service-requests', admin, {
      minPosition: revoked.position,
      body: {
        clientId: 'tenant-c1',
        title: 'Another one',
        description: 'After revocation.',
        severity: 'minimal',
        contact: { name: 'Ada', email: 'ada@c1.example' },
      },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('delegation-revoked');

    // Each process serves only its own API and appended only to its own store.
    expect((await call('offer', 'GET', '/clients', admin)).status).toBe(404);
    expect((await call('client-directory', 'GET', '/offers', admin)).status).toBe(404);
    const types = async (store: string) =>
      (
        await database.db.query<{ type: string }>(`SELECT DISTINCT type FROM "${store}".events ORDER BY type`)
      ).map((r) => r.type);
    expect(await types('offer')).toEqual(['OfferCreated']);
    expect(await types('health')).toEqual(['HealthIssueRaised']);
    expect(await types('service-request')).toEqual(['ServiceRequestCreated']);
    expect(await types('consent')).toEqual(
      expect.arrayContaining(['DelegationGranted', 'DelegationRevoked']),
    );
  });
});
