import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The built standalone process, as `npm start` runs it. */
export const STANDALONE_MAIN = join(ROOT, 'services', 'standalone', 'dist', 'main.js');
/** The built read-model rebuild tool. */
export const REBUILD_TOOL = join(ROOT, 'tools', 'dist', 'rebuild-projection.js');

/** The process's own environment, on DATA_DIR only (never a DATABASE_URL or store the caller has set). */
const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['DATABASE_URL', 'KURRENTDB_URL', 'KAFKA_BROKERS', 'EVENT_STORE'].includes(name),
    ),
  ),
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  ...extra,
});

const built = (file: string) => {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
};

export interface Running {
  child: ChildProcess;
  readyMs: number;
  stderr: () => string;
}

/** Starts the standalone process on DATA_DIR (or `extra.DATABASE_URL`) and waits (bounded) for /health/ready. */
export async function startStandalone(
  dataDir: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<Running> {
  built(STANDALONE_MAIN);
  const started = performance.now();
  const child = spawn(process.execPath, [STANDALONE_MAIN], {
    env: env(dataDir, {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...extra,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, readyMs: Math.round(performance.now() - started), stderr: () => stderr };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`standalone not ready after 60 s: ${stderr}`);
}

/** Sends the signal and resolves with the exit code, or the signal that ended the process. */
export const stopStandalone = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<number | string | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve(child.exitCode ?? child.signalCode);
    child.once('exit', (code, by) => resolve(code ?? by));
    child.kill(signal);
  });

/** Runs the rebuild tool on DATA_DIR (the process stopped); resolves with its exit code and output. */
export function rebuildTool(dataDir: string, args: string[]) {
  built(REBUILD_TOOL);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [REBUILD_TOOL, ...args], {
      env: env(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
