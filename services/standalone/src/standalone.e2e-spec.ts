import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEV_JWT_SECRET, mintToken } from '@dap/platform';
import { freePort } from '@dap/testing';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

/** The built standalone process, as `npm start` runs it. */
async function start(dataDir: string, port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Two HTTP workers over one embedded server, as on a two-core machine by default.
      HTTP_WORKERS: '2',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  // Start-up, not async work under test: poll readiness with a bounded number of tries.
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, readyMs: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`standalone not ready after 60 s: ${stderr}`);
}

/** Resolves with the exit code, or the signal that ended the process. */
const stop = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, by) => resolve(code ?? by));
    child.kill(signal);
  });

describe('the standalone process (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-standalone-'));
  let port: number;
  let token: string;
  beforeAll(async () => {
    port = await freePort();
    token = await mintToken(DEV_JWT_SECRET, {
      sub: 'alice@partner-a',
      tid: 'partner-a',
      roles: ['partner.admin'],
    });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  it('serves all five services on one port and keeps acknowledged data across a kill -9 and a clean restart', async () => {
    const first = await start(dataDir, port);
    console.log(`standalone ready in ${first.readyMs} ms on a new data directory`);
    const created = await api('/offers', {
      method: 'POST',
      body: JSON.stringify({ grantedRoles: ['limited'] }),
    });
    expect(created.status).toBe(201);
    const offer = (await created.json()) as { id: string; acceptUrl: string };
    // Read-your-writes whichever worker answers: each read on a new connection, round-robin between
    // the workers; the one that took the command runs no consumers or does, either way the list waits.
    const position = created.headers.get('x-event-position')!;
    for (let i = 0; i < 6; i++) {
      const read = await api('/offers', { headers: { 'x-min-position': position, connection: 'close' } });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { items: { id: string }[] }).items.map((o) => o.id)).toContain(offer.id);
    }
    for (const path of [
      '/offers',
      '/delegations',
      '/partner-users',
      '/clients',
      '/health-issues',
      '/service-requests',
    ])
      expect([path, (await api(path)).status]).toEqual([path, 200]);
    expect(await stop(first.child, 'SIGKILL')).toBe('SIGKILL');

    const second = await start(dataDir, port);
    console.log(`standalone ready in ${second.readyMs} ms on an existing data directory (after kill -9)`);
    const got = await api(`/offers/${offer.id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { acceptUrl: string }).acceptUrl).toBe(offer.acceptUrl);
    // A graceful stop: Nest closes the app (consumers, then the database) and re-raises the signal.
    expect(await stop(second.child, 'SIGTERM')).toBe('SIGTERM');

    const third = await start(dataDir, port);
    expect((await api(`/offers/${offer.id}`)).status).toBe(200);
    // Nothing was appended since this start: every worker still knows how far the consumers are.
    for (let i = 0; i < 4; i++) {
      const headers = { 'x-min-position': position, connection: 'close' };
      expect([i, (await api('/offers', { headers })).status]).toEqual([i, 200]);
      expect([i, (await fetch(`http://127.0.0.1:${port}/health/ready`, { headers })).status]).toEqual([
        i,
        200,
      ]);
    }
    await stop(third.child, 'SIGTERM');
    // Three starts, each allowed 30 s to get ready (start-up took 33 s on a loaded 2-core machine),
    // do not fit Jest's default 60 s.
  }, 150_000);
});
