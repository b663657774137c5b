import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEV_JWT_SECRET, mintToken } from '@dap/platform';
import { freePort, startTestApp, type TestApp } from '@dap/testing';
import { DEFAULT_CONSOLE_DIR } from './console-static.js';
import {
  startStandalone,
  stopStandalone,
  STANDALONE_MAIN,
  type Running,
} from './faults/standalone-process.js';
import { StandaloneModule } from './standalone.module.js';

type OpenApi = { paths: object; components: { schemas: object } };

/**
 * `dist/main.js` is a bundle (`bundle.js`): the libraries and the services in a few dozen chunks. What
 * NestJS and the OpenAPI document read from the code (decorators' metadata, class names, one copy of
 * class-validator's storage) and what the code finds on disk (the console) must come through it.
 */
describe('the bundled standalone process', () => {
  let dataDir: string;
  let bundled: Running;
  let baseUrl: string;
  let sources: TestApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dap-bundle-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    [bundled, sources] = await Promise.all([
      startStandalone(dataDir, port),
      startTestApp([StandaloneModule]),
    ]);
  });

  afterAll(async () => {
    if (bundled) await stopStandalone(bundled.child, 'SIGTERM');
    await sources?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is the bundle, not the modules swc wrote', () => {
    const main = readFileSync(STANDALONE_MAIN, 'utf8');
    expect(main).toMatch(/from "\.\/chunks\/[^"]+\.js"/);
    expect(main).not.toContain('./standalone.module.js');
  });

  it('publishes the same OpenAPI paths and schemas as the sources', async () => {
    const fromBundle = (await (await fetch(`${baseUrl}/api/docs-json`)).json()) as OpenApi;
    const fromSources = (await sources.request<OpenApi>('GET', '/api/docs-json')).body;
    expect(Object.keys(fromBundle.components.schemas).length).toBeGreaterThan(10);
    expect(fromBundle.components).toEqual(fromSources.components);
    expect(fromBundle.paths).toEqual(fromSources.paths);
  });

  it('validates with the DTOs’ rules and answers problem+json naming the field', async () => {
    const token = await mintToken(DEV_JWT_SECRET, {
      sub: 'admin@partner.example',
      tid: '7d4f2d6e-3c1a-4b8e-9f00-2a6c1b5d9e01',
      roles: ['partner.admin'],
    });
    const headers = { authorization: `Bearer ${token}` };
    const bad = await fetch(`${baseUrl}/api/v1/clients?limit=abc`, { headers });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain('limit');
    const good = await fetch(`${baseUrl}/api/v1/clients?limit=5`, { headers });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ items: [], total: 0 });
  });

  it('serves the console from apps/console/dist', async () => {
    const index = join(DEFAULT_CONSOLE_DIR, 'index.html');
    expect(existsSync(index)).toBe(true); // npm run build builds it, npm test builds first
    const page = await fetch(`${baseUrl}/clients`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(index, 'utf8'));
  });
});
