import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '@dap/testing';
import { ConsoleStaticModule } from './console-static.js';

const INDEX = '<!doctype html><title>console</title><div id="root"></div>';

/** startTestApp takes module classes: one around the dynamic module under test. */
function moduleOf(dynamic: DynamicModule): Type {
  @Module({ imports: [dynamic] })
  class Wrapped {}
  return Wrapped;
}

describe('the web console served at / by the standalone process', () => {
  const root = mkdtempSync(join(tmpdir(), 'dap-console-'));
  let t: TestApp;
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    t = await startTestApp([moduleOf(ConsoleStaticModule.serve(root))]);
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for the single-page routes such as the accept link', async () => {
    for (const path of ['/', '/clients', '/accept/3f1c2d9a?code=abc']) {
      const res = await t.request('GET', path);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        'text/html; charset=utf-8',
      ]);
      expect(res.body).toBe(INDEX);
    }
  });

  it('serves built assets with a long cache and answers 404 for a missing one', async () => {
    const asset = await t.request('GET', '/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await t.request('GET', '/assets/missing-0000.js')).status).toBe(404);
    expect((await t.request('GET', '/%E0%A4%A')).status).toBe(400);
    // An escape from the build folder is refused, not followed.
    expect((await t.request('GET', '/..%2f..%2fetc%2fpasswd')).status).toBe(404);
  });

  it('never shadows the API or the operations endpoints', async () => {
    expect((await t.request('GET', '/health/live')).body).toEqual({ status: 'ok' });
    expect((await t.request('GET', '/metrics')).status).toBe(200);
    expect((await t.request('GET', '/api/docs-json')).status).toBe(200);
    for (const path of ['/api/v1/nothing-here', '/api/v1', '/health/nothing', '/dev/token']) {
      const res = await t.request('GET', path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('the standalone process without a built console', () => {
  it('still serves the API, and / says the console is not built', async () => {
    const t = await startTestApp([
      moduleOf(ConsoleStaticModule.serve(join(tmpdir(), 'no-such-console-dir'))),
    ]);
    try {
      const res = await t.request('GET', '/');
      expect(res.status).toBe(404);
      expect(res.body).toContain('The console is not built');
      expect((await t.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
