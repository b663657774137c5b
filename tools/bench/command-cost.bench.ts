/**
 * What one command costs in CPU, split between the product's Node processes and the PostgreSQL server:
 * where the time of a write goes, which the suite's throughput figures do not say. Prints, asserts
 * nothing; Linux only (it reads /proc).
 *
 *   npm run build
 *   node tools/dist/bench/command-cost.bench.js [--database-url postgres://…] [--clients 5000]
 *        [--paths service-requests@1,service-requests@32,flips@1,flips@32,accepts@32] [--duration 5] [--warmup 2]
 *
 * Each kind of command first runs unmeasured for `warmup` seconds at 8 connections (`warmUp`). Each path
 * then runs at its connection count for `duration` seconds, then until every consumer has caught
 * up, so the consumers' work for those commands is counted too. CPU is read from /proc before and after:
 * the standalone's node processes, and every `postgres` process on the machine (on a shared server,
 * other databases' work counts as well). The load generator runs in this process: its CPU while the load
 * runs is a column of its own, beside how much of the machine stayed idle meanwhile (/proc/stat), which
 * says whether a figure is bound by the cores.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from './api-client.js';
import { partnerAdminToken } from './bench-tokens.js';
import { createSeedOffer, seedClients } from './client-seed.js';
import { acceptances, preparedAgents, roleFlips, serviceRequests } from './command-paths.js';
import { load, warmUp, type RequestSpec } from './http-load.js';
import {
  canReadProcesses,
  cpuBetween,
  machineCpu,
  nodeTree,
  postgresProcesses,
  sampleCpu,
} from './process-cpu.js';
import { standaloneDatabase } from './standalone-database.js';
import { freePort, startStandalone } from './standalone-process.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    clients: { type: 'string', default: '5000' },
    paths: { type: 'string', default: 'service-requests@1,service-requests@32,flips@1,flips@32,accepts@32' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
  },
});
if (!canReadProcesses()) {
  console.log('command-cost: skipped: no /proc here to read process CPU from (Linux only)');
  process.exit(0);
}
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.duration);
const PATHS = args.paths.split(',').map((spec) => {
  const [name, connections] = spec.split('@');
  if (!['service-requests', 'flips', 'accepts'].includes(name) || !(Number(connections) > 0))
    throw new Error(`--paths takes service-requests|flips|accepts@<connections>; got ${spec}`);
  return { name, connections: Number(connections) };
});

const target = await standaloneDatabase(args['database-url']);
const app = await startStandalone(target.env, await freePort());
try {
  console.log(`node ${process.argv.slice(1).join(' ')}`);
  console.log(
    `\n${target.label}; ${CLIENTS.toLocaleString('en-US')} clients; ${SECONDS} s per path; ${cpus().length} cores; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${new Date().toISOString()}\n`,
  );
  const api = new ApiClient(app.baseUrl);
  const admin = await partnerAdminToken();
  const offer = await createSeedOffer(api, admin);
  const db = await target.open();
  await seedClients(db, offer, CLIENTS).finally(() => db.close());
  await api.settle(600_000);
  const agents = await preparedAgents(api, admin, 16);
  await api.settle();

  console.log(
    '| path | connections | commands/s | Node CPU ms/command | of it kernel | PostgreSQL CPU ms/command | of it kernel | load generator CPU ms/command | machine idle under load |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const flips = { n: 0 };
  let accepted = 1;
  const warmup = Number(args.warmup);
  for (const name of new Set(PATHS.map((p) => p.name))) {
    if (name === 'service-requests') await warmUp(app.baseUrl, warmup, serviceRequests(agents, CLIENTS));
    else if (name === 'flips') await warmUp(app.baseUrl, warmup, roleFlips(admin, 2000, flips));
    else {
      const cap = Math.ceil(500 * warmup);
      await warmUp(app.baseUrl, warmup, await acceptances(api, admin, cap, accepted), cap);
      accepted += cap;
    }
  }
  for (const { name, connections } of PATHS) {
    let next: () => RequestSpec;
    let cap: number | undefined;
    if (name === 'service-requests') next = serviceRequests(agents, CLIENTS);
    else if (name === 'flips') next = roleFlips(admin, 2000, flips);
    else {
      // Each offer takes 50 acceptances a minute here: enough offers for ~500 a second.
      cap = 500 * SECONDS;
      next = await acceptances(api, admin, cap, accepted);
      accepted += cap;
    }
    await api.settle();
    const pids = () => [...nodeTree(app.child.pid!), ...postgresProcesses()];
    const before = sampleCpu(pids());
    const [machineBefore, generatorBefore] = [machineCpu(), process.cpuUsage()];
    const figures = await load(app.baseUrl, connections, SECONDS, next, cap);
    const [machineAfter, generator] = [machineCpu(), process.cpuUsage(generatorBefore)];
    await api.settle();
    const nodePids = new Set(nodeTree(app.child.pid!));
    const after = sampleCpu(pids());
    const part = (keep: (pid: number) => boolean) =>
      cpuBetween(before, new Map([...after].filter(([pid]) => keep(pid))));
    const node = part((pid) => nodePids.has(pid));
    const server = part((pid) => !nodePids.has(pid));
    const per = (ms: number) => (ms / Math.max(1, figures.ok)).toFixed(2);
    const label = {
      'service-requests': 'POST /service-requests',
      flips: 'PUT /partner-users/{id}/delegated-role',
      accepts: 'POST /offer-links/{id}/accept',
    }[name];
    // While the load ran (not the catch-up after it): how much of the machine was left, and what the
    // load generator (this process) took of it.
    const idleMs = machineAfter.idleMs - machineBefore.idleMs;
    const idle = ((100 * idleMs) / (machineAfter.busyMs - machineBefore.busyMs + idleMs)).toFixed(0);
    console.log(
      `| ${label} | ${connections} | ${Math.round(figures.rps)} | ${per(node.ms)} | ${per(node.kernelMs)} | ${per(server.ms)} | ${per(server.kernelMs)} | ${per((generator.user + generator.system) / 1000)} | ${idle}% |`,
    );
  }
} finally {
  await app.stop();
  await target.dispose();
}
