import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import {
  createApp,
  DEV_JWT_SECRET,
  EventStores,
  freeLoopbackPort,
  loadConfig,
  mintToken,
  type Clock,
} from '@dap/platform';
import { createEmbeddedDatabase, createTestDatabase } from './postgres.js';

/** A TCP port nobody listens on right now. */
export const freePort = freeLoopbackPort;

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  db: SqlClient;
  clock: TestClock;
  token(sub: string, tid: string, roles: string[]): Promise<string>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** Resolves once every consumer in the process has processed its sources up to their heads. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the given service modules as one HTTP application on a free port, over a fresh database:
 * a new database on the test PostgreSQL server by default, or an embedded server of its own.
 */
export async function startTestApp(
  modules: Type[],
  options: { engine?: 'postgres' | 'embedded'; clock?: TestClock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-e2e-'));
  const database =
    options.engine === 'embedded' ? await createEmbeddedDatabase() : await createTestDatabase();
  const db = database.db;
  const clock = options.clock ?? new TestClock();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    LOG_LEVEL: 'silent',
    POLL_INTERVAL_MS: '50',
    ...options.env,
  });
  // Swagger UI's static files load through a dynamic import Jest's ESM mode cannot follow; the JSON document is still served.
  const app = await createApp(modules, { config, db, clock, swaggerUi: false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    baseUrl,
    dataDir,
    db,
    clock,
    token: (sub, tid, roles) => mintToken(DEV_JWT_SECRET, { sub, tid, roles }),
    async request(method, path, { token, body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...((body !== undefined || rawBody !== undefined) && { 'content-type': 'application/json' }),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as any };
    },
    async caughtUp() {
      const progress = app.get(ConsumerProgress);
      const stores = app.get(EventStores);
      for (const { consumer, source } of progress.snapshot()) {
        const head = await stores.get(source).headPosition();
        if (!(await progress.waitFor([consumer], source, head, 10_000)))
          throw new Error(`${consumer} did not catch up with ${source}:${head}`);
      }
    },
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
