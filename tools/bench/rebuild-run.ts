import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const TOOL = join(dirname(fileURLToPath(import.meta.url)), '..', 'rebuild-projection.js');

export interface RebuildFigures {
  events: number;
  /** As the tool reports it (drop, recreate, replay). */
  toolMs: number;
  /** The whole child process, start-up included. */
  wallMs: number;
}

/**
 * Runs the rebuild tool as an operator would (`node tools/dist/rebuild-projection.js <consumer>`),
 * on the standalone's database (its environment), with the standalone stopped.
 */
export async function rebuildProjection(
  consumer: string,
  env: Record<string, string>,
): Promise<RebuildFigures> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [TOOL, consumer], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  const wallMs = Math.round(performance.now() - started);
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as { events: number; ms: number };
  return { events: report.events, toolMs: report.ms, wallMs };
}
