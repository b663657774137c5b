import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@dap/testing';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAIN = join(ROOT, 'services', 'standalone', 'dist', 'main.js');
const CONSOLE = join(ROOT, 'apps', 'console', 'dist', 'index.html');

export interface Standalone {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The built standalone process, as `npm start` runs it, on its own data directory and a free port,
 * in development mode on the development secret (so the console offers the development sign-in).
 */
export async function startStandalone(): Promise<Standalone> {
  for (const built of [MAIN, CONSOLE])
    if (!existsSync(built))
      throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-console-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'DATABASE_URL', 'KAFKA_BROKERS', 'PUBLIC_BASE_URL'])
    delete env[name];
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL: baseUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      POLL_INTERVAL_MS: '50',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Start-up, not async work under test: poll readiness a bounded number of times.
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { baseUrl, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`standalone not ready after 60 s: ${stderr}`);
}
