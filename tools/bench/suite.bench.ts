/**
 * The benchmark suite (issue #8, item 5): prints figures beside their floor from the same run, and
 * asserts nothing. It drives the BUILT standalone process over its public HTTP API only, so it
 * measures whatever the product is.
 *
 *   npm run build
 *   node tools/dist/bench/suite.bench.js [--database-url postgres://postgres@127.0.0.1:5432/test] [--quick]
 *        [--clients 100000] [--connections 1,8,32,64] [--duration 5] [--deep-pages 200]
 *        [--only reads,commands,lag,incident,rebuild]
 *
 * Without --database-url the standalone runs on its embedded default under a fresh DATA_DIR; with
 * it, on a fresh `bench_<random>` database created on that server and dropped afterwards.
 * Tables go to stdout, progress to stderr.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient, waitUntil } from './api-client.js';
import { healthPublisherToken, partnerAdminToken, agentTokens } from './bench-tokens.js';
import {
  clientIdOf,
  indexes,
  PARTNER,
  burstIncident,
  seededAdvisory,
  seededIncident,
} from './client-population.js';
import { createSeedOffer, seedClients, type ClientSeedReport } from './client-seed.js';
import { acceptances, preparedAgents, roleFlips, serviceRequests } from './command-paths.js';
import { healthTotal, incidentPropagation, raiseIssue } from './health-incident.js';
import { load, warmUp, type LoadFigures } from './http-load.js';
import { appendPath } from './append-path.js';
import { pgInsertFloor } from './insert-floor.js';
import { readPaths } from './read-paths.js';
import { burstLag, singleCommandLag } from './read-model-lag.js';
import { rebuildProjection } from './rebuild-run.js';
import { ResultsTable } from './results-table.js';
import { standaloneDatabase } from './standalone-database.js';
import { freePort, startStandalone, type RunningStandalone } from './standalone-process.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    quick: { type: 'boolean', default: false },
    clients: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '1,8,32,64' },
    duration: { type: 'string' },
    'deep-pages': { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
  },
});
const QUICK = args.quick;
const CLIENTS = Number(args.clients);
const CONNECTIONS = args.connections.split(',').map(Number);
const SECONDS = Number(args.duration ?? (QUICK ? 2 : 5));
const DEEP_PAGES = Number(args['deep-pages'] ?? (QUICK ? 40 : 200));
/**
 * Seconds each read and write path runs unmeasured before its levels (`warmUp`), quick or not: at one
 * connection a service request cost 3.4 ms of Node CPU in the first second of load and 0.8 ms from the
 * seventh on (V8 optimising), and 3 s at 8 connections is about as many requests.
 */
const WARMUP = Number(args.warmup ?? 3);
const BURST = QUICK ? 200 : 1000;
const SAMPLES = QUICK ? 30 : 100;
const FLIP_USERS = 2000;
/** `--only reads,commands,lag,incident,rebuild`: the sections to run after the seed (all by default). */
const SECTIONS = ['reads', 'commands', 'lag', 'incident', 'rebuild'] as const;
const only = args.only?.split(',') ?? [...SECTIONS];
for (const name of only)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`--only takes ${SECTIONS.join(',')}; got ${name}`);
const runs = (section: (typeof SECTIONS)[number]) => only.includes(section);

const table = new ResultsTable();
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const perSecond = (events: number, millis: number) =>
  `${Math.round((events * 1000) / millis).toLocaleString('en-US')} events/s`;
const log = (line: string) => console.error(line);
/** A table row for a load run at `connections`, beside the floor measured in the same run. */
const loadRow =
  (connections: number, floorName: string, floorRps: number | null) =>
  (path: string, r: LoadFigures, note = '') =>
    table.load({
      path,
      connections,
      rps: r.rps,
      p50: r.p50,
      p99: r.p99,
      floorName,
      floorRps,
      note: [note, r.statuses].filter(Boolean).join('; '),
    });

const target = await standaloneDatabase(args['database-url']);
console.log(`node ${process.argv.slice(1).join(' ')}`);
console.log(
  `\n${target.label}; ${CLIENTS.toLocaleString('en-US')} clients; ${SECONDS} s per level; ${cpus().length} cores; load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${new Date().toISOString()}\n`,
);
let app: RunningStandalone | null = null;
// Interrupted: stop the child and drop the database before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the standalone and removing its data`);
    void Promise.resolve(app?.stop())
      .then(() => target.dispose())
      .finally(() => process.exit(130));
  });
try {
  const port = await freePort();
  const admin = await partnerAdminToken();
  const publisher = await healthPublisherToken();
  const [reader] = await agentTokens(1);

  log('start-up on a new data directory / database');
  app = await startStandalone(target.env, port);
  table.timing({
    measurement: 'start-up, new (spawn → /health/ready 200)',
    figure: ms(app.readyMs),
    detail: 'empty data',
  });
  let api = new ApiClient(app.baseUrl);
  const offer = await createSeedOffer(api, admin);

  // Seed: DelegationGranted events into consent's store; the standalone's consumers project them.
  const db = await target.open();
  const catchUpFrom = performance.now();
  const seed: ClientSeedReport = await seedClients(db, offer, CLIENTS).finally(() => db.close());
  table.timing({
    measurement: 'seed: DelegationGranted appends (SqlEventStore.appendToStreams)',
    figure: perSecond(seed.events, seed.ms),
    detail: `${seed.events.toLocaleString('en-US')} events in ${seed.appends} appends, ${ms(seed.ms)}, while the consumers ran`,
  });
  log('projection catch-up');
  const listed = async () =>
    (await api.ok<{ total: number }>('GET', '/api/v1/clients?limit=1', reader)).total;
  await waitUntil(async () => (await listed()) >= CLIENTS, 3_600_000, 100);
  const listedMs = performance.now() - catchUpFrom;
  await api.settle(3_600_000);
  const settledMs = performance.now() - catchUpFrom;
  const from = 'the first append';
  table.timing({
    measurement: 'projection catch-up (client list shows all)',
    figure: perSecond(CLIENTS, listedMs),
    detail: `${ms(listedMs)} from ${from}`,
  });
  table.timing({
    measurement: 'projection catch-up (every consumer at lag 0)',
    figure: perSecond(CLIENTS, settledMs),
    detail: `${ms(settledMs)} from ${from}; each DelegationGranted feeds every consent consumer`,
  });

  log('health: incidents on 1%, advisories on ~3%');
  const incidents = indexes(CLIENTS, seededIncident);
  const advisories = indexes(CLIENTS, seededAdvisory);
  await raiseIssue(api, publisher, incidents, 'incident', 'bench-seed-incident');
  await raiseIssue(api, publisher, advisories, 'advisory', 'bench-seed-advisory');
  await api.settle();
  table.timing({
    measurement: 'seeded health',
    figure: `${await healthTotal(api, reader, 'incident')} incident, ${await healthTotal(api, reader, 'advisory')} advisory rows`,
    detail: `POST /health-issues on ${incidents.length} and ${advisories.length} clients`,
  });

  if (runs('reads')) {
    log('reads');
    const { paths, walk } = await readPaths(api, reader, CLIENTS, DEEP_PAGES);
    table.timing({
      measurement: 'deep paging walk, 1 connection (follow nextCursor)',
      figure: `${Math.round((walk.pages * 1000) / walk.ms)} pages/s`,
      detail: `${walk.pages} pages of 50 in ${ms(walk.ms)}`,
    });
    for (const p of paths) await warmUp(app.baseUrl, WARMUP, p.next);
    for (const c of CONNECTIONS) {
      const live = await load(app.baseUrl, c, SECONDS, { path: '/health/live' });
      loadRow(c, '—', null)('GET /health/live (the HTTP floor)', live);
      const row = loadRow(c, '/health/live', live.rps);
      for (const p of paths) row(p.name, await load(app.baseUrl, c, SECONDS, p.next), p.note);
    }
  }

  const agents = await preparedAgents(api, admin, 16);
  await api.settle();
  if (runs('commands')) {
    log('commands');
    const flipState = { n: 0 };
    let acceptedSoFar = 0;
    let acceptEstimate = { rps: 100, connections: 1 };
    const pgUrl = await target.pgUrl();
    const warmAccepts = Math.ceil(500 * WARMUP);
    await warmUp(app.baseUrl, WARMUP, serviceRequests(agents, CLIENTS));
    await warmUp(app.baseUrl, WARMUP, roleFlips(admin, FLIP_USERS, flipState));
    await warmUp(app.baseUrl, WARMUP, await acceptances(api, admin, warmAccepts, 1), warmAccepts);
    acceptedSoFar += warmAccepts;
    for (const c of CONNECTIONS) {
      const floor = await pgInsertFloor(pgUrl, c, SECONDS);
      const floorName = 'pg INSERT txn';
      table.load({
        path: 'plain pg BEGIN; INSERT; COMMIT (the write floor)',
        connections: c,
        rps: floor.rps,
        p50: floor.p50,
        p99: floor.p99,
        note: floor.connections < c ? `only ${floor.connections} connections free on the shared server` : '',
        floorName: '—',
        floorRps: null,
      });
      const row = loadRow(c, floorName, floor.rps);
      const append = await appendPath(pgUrl, c, SECONDS);
      table.load({
        path: 'SqlEventStore.appendToStream, one event, new stream (the append path alone)',
        connections: c,
        rps: append.rps,
        p50: append.p50,
        p99: append.p99,
        floorName,
        floorRps: floor.rps,
        note:
          append.connections < c ? `only ${append.connections} connections free on the shared server` : '',
      });
      row('POST /service-requests', await load(app.baseUrl, c, SECONDS, serviceRequests(agents, CLIENTS)));
      row(
        'PUT /partner-users/{id}/delegated-role (flips)',
        await load(app.baseUrl, c, SECONDS, roleFlips(admin, FLIP_USERS, flipState)),
        `${FLIP_USERS} users in turn`,
      );
      // Offers take 60 acceptances a minute each: provision enough offers for this level's estimate.
      const estimate = acceptEstimate.rps * Math.max(1, c / acceptEstimate.connections) * 1.5 + 50;
      const capacity = Math.min(30_000, Math.ceil(estimate * SECONDS));
      const next = await acceptances(api, admin, capacity, acceptedSoFar + 1);
      acceptedSoFar += capacity;
      const accepted = await load(app.baseUrl, c, SECONDS, next, capacity);
      acceptEstimate = { rps: Math.max(accepted.rps, 10), connections: c };
      const used =
        accepted.ok + accepted.failed >= capacity
          ? `; all ${capacity} provisioned accepts used (run ended early)`
          : '';
      row(
        'POST /offer-links/{id}/accept',
        accepted,
        `${Math.ceil(capacity / 50)} offers × 50, one client.admin each${used}`,
      );
    }
  }

  if (runs('lag')) {
    log('read-model lag');
    const lagClient = clientIdOf(7);
    const burst = await burstLag(
      api,
      reader,
      lagClient,
      serviceRequests(agents, CLIENTS, () => lagClient),
      BURST,
      32,
    );
    table.timing({
      measurement: `read-model lag after a burst of ${BURST} POST /service-requests (32 at a time)`,
      figure: ms(burst.visibleMs),
      detail: `last ack → GET /clients/{id} without X-Min-Position counts all; every consumer at lag 0 after ${ms(burst.settledMs)}; sending took ${ms(burst.sendMs)}`,
    });
    const single = await singleCommandLag(
      api,
      reader,
      lagClient,
      serviceRequests(agents, CLIENTS, () => lagClient),
      SAMPLES,
    );
    table.timing({
      measurement: 'one command: ack → visible without X-Min-Position',
      figure: `p50 ${single.p50} ms, p99 ${single.p99} ms`,
      detail: `${single.samples} POST /service-requests one after another, GET /clients/{id} polled every 2 ms`,
    });
  }

  if (runs('incident')) {
    log('incident on 10% of the clients');
    const burstClients = indexes(CLIENTS, burstIncident);
    const incident = await incidentPropagation(api, publisher, reader, burstClients);
    table.timing({
      measurement: `incident on ${incident.clients.toLocaleString('en-US')} clients until every row shows it`,
      figure: ms(incident.visibleMs),
      detail: `POST /health-issues acknowledged after ${ms(incident.ackMs)}; polled GET /clients?health=incident total`,
    });
  }

  if (runs('rebuild')) {
    log('projection rebuild (standalone stopped)');
    await api.settle();
    const totalBefore = await listed();
    await app.stop();
    const rebuild = await rebuildProjection('client-directory.client-list', target.env);
    table.timing({
      measurement: 'projection rebuild client-directory.client-list',
      figure: perSecond(rebuild.events, rebuild.toolMs),
      detail: `${rebuild.events.toLocaleString('en-US')} events in ${ms(rebuild.toolMs)} (tool process ${ms(rebuild.wallMs)})`,
    });
    app = await startStandalone(target.env, port);
    api = new ApiClient(app.baseUrl);
    const totalAfter = await listed();
    table.timing({
      measurement: 'start-up, existing (spawn → /health/ready 200)',
      figure: ms(app.readyMs),
      detail: `${totalAfter.toLocaleString('en-US')} clients listed (${totalBefore.toLocaleString('en-US')} before the rebuild), projections caught up`,
    });
  }
} finally {
  await app?.stop();
  await target.dispose();
}
console.log(
  `partner ${PARTNER}; load average at end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
table.print();
