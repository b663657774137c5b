import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '@dap/testing';
import { DevSignInModule, devSignInEnabled } from './dev-sign-in.module.js';

/** startTestApp takes module classes: one around the dynamic module under test. */
function moduleOf(dynamic: DynamicModule): Type {
  @Module({ imports: [dynamic] })
  class Wrapped {}
  return Wrapped;
}

describe('development sign-in (standalone with the development secret only)', () => {
  describe('with the development secret', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp([moduleOf(DevSignInModule.register({ NODE_ENV: 'development' }))]);
    });
    afterAll(() => t.close());

    it('mints a token for the chosen principal that the API accepts', async () => {
      expect((await t.request('GET', '/api/v1/dev/sign-in')).body).toMatchObject({ available: true });
      const minted = await t.request('POST', '/api/v1/dev/token', {
        body: { sub: 'alice@bluesky.example', tid: 'partner-bluesky', role: 'partner.admin' },
      });
      expect(minted.status).toBe(201);
      expect(minted.body).toMatchObject({ tid: 'partner-bluesky', roles: ['partner.admin'] });
      // The token works against a route that needs one (the guard verifies it with the same secret).
      const again = await t.request('GET', '/api/v1/dev/sign-in', { token: minted.body.token });
      expect(again.status).toBe(200);
    });

    it('answers 400 naming the field for a bad principal, and mints nothing', async () => {
      const platform = await t.request('POST', '/api/v1/dev/token', {
        body: { sub: 'x', tid: 'platform', role: 'platform.auditor' },
      });
      expect(platform.status).toBe(400);
      expect(platform.body.errors.map((e: { path: string }) => e.path)).toEqual(['role']);
      expect(platform.body.token).toBeUndefined();
      const missing = await t.request('POST', '/api/v1/dev/token', { body: { role: 'client.admin' } });
      expect(missing.status).toBe(400);
      expect([...new Set(missing.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([
        'sub',
        'tid',
      ]);
    });
  });

  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(40) }],
    ['AUTH_JWT_SECRET set', { AUTH_JWT_SECRET: 'a-real-secret-of-at-least-32-characters!' }],
    [
      'AUTH_JWT_SECRET set to the development value',
      { AUTH_JWT_SECRET: 'dev-only-secret-change-me-0123456789abcdef' },
    ],
    ['AUTH_JWKS_URL set', { AUTH_JWKS_URL: 'https://login.example/keys' }],
  ])('is absent with %s', async (_, env) => {
    expect(devSignInEnabled(env)).toBe(false);
    const t = await startTestApp([moduleOf(DevSignInModule.register(env))]);
    try {
      const body = { sub: 'a', tid: 'b', role: 'client.admin' };
      for (const [method, path, options] of [
        ['GET', '/api/v1/dev/sign-in', {}],
        ['POST', '/api/v1/dev/token', { body }],
      ] as const)
        expect([path, (await t.request(method, path, options)).status]).toEqual([path, 404]);
    } finally {
      await t.close();
    }
  });

  it('is present by default (no auth variables, not production)', () => {
    expect(devSignInEnabled({})).toBe(true);
  });
});
