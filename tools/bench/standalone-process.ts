import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built standalone process, as `npm start` runs it. */
export const STANDALONE_MAIN = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'services',
  'standalone',
  'dist',
  'main.js',
);

export interface RunningStandalone {
  child: ChildProcess;
  baseUrl: string;
  /** Spawn until /health/ready first answered 200. */
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Spawns `node services/standalone/dist/main.js` with the given environment (DATA_DIR or
 * DATABASE_URL) and waits for /health/ready. Its stderr is kept, and printed if it dies.
 */
export async function startStandalone(
  env: Record<string, string>,
  port: number,
  readyTimeoutMs = 1_800_000,
): Promise<RunningStandalone> {
  if (!existsSync(STANDALONE_MAIN)) throw new Error(`${STANDALONE_MAIN} is missing: run \`npm run build\``);
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": flags for the standalone's node (its workers inherit them).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, STANDALONE_MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}:\n${stderr}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, baseUrl, readyMs: Math.round(performance.now() - started), stop };
    if (performance.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`standalone not ready after ${readyTimeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A free loopback port for the next process to listen on. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
