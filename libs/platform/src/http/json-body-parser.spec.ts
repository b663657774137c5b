import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { acceptOnlyJsonBodies, MAX_JSON_DEPTH, nestsDeeperThan } from './json-body-parser.js';
import { findRefused } from './refused-content.js';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings or escaped quotes', () => {
    expect(nestsDeeperThan(deep(32), 32)).toBe(false);
    expect(nestsDeeperThan(deep(33), 32)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ a: '[[[[[[', b: '\\"[[[[' }), 1)).toBe(false);
  });

  it('scans a million levels without recursion', () => {
    expect(nestsDeeperThan(deep(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('findRefused', () => {
  it('names the path of a NUL, a lone surrogate or a reserved key, at any depth, without recursion', () => {
    expect(findRefused({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({
      path: 'a[1].c',
      message: 'must not contain NUL characters',
    });
    expect(findRefused({ a: '\ud800' })?.path).toBe('a');
    expect(findRefused({ a: '\ud83d\ude00' })).toBeNull();
    expect(findRefused({ a: { constructor: 1 } })?.path).toBe('a.constructor');
    expect(findRefused(JSON.parse('{"x":{"toString":"y"}}'))?.message).toContain('reserved');
    let nested: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    expect(findRefused(nested)?.message).toBe('must not contain NUL characters');
  });
});

describe('the JSON body parser', () => {
  const app = async () => {
    const fastify = Fastify();
    acceptOnlyJsonBodies(fastify);
    fastify.post('/', async (request) => ({ got: request.body }));
    fastify.setErrorHandler((error: any, _req, reply) => {
      void reply.status(error.statusCode ?? 400).send({ code: error.code, errors: error.errors });
    });
    return fastify;
  };
  // A real server (Fastify's inject() loads an ES module Jest cannot require here).
  const post = async (payload: string, contentType = 'application/json') => {
    const fastify = await app();
    const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(address, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': contentType },
      });
      return { status: res.status, body: (await res.json()) as any };
    } finally {
      await fastify.close();
    }
  };

  it('takes a JSON object', async () => {
    expect(await post('{"a":[1,{"b":"c"}]}')).toEqual({ status: 200, body: { got: { a: [1, { b: 'c' }] } } });
  });

  it.each(['null', '[]', '"x"', '3', 'true'])('refuses %s as a body, naming the body', async (payload) => {
    const res = await post(payload);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'body', message: expect.stringMatching(/^must be a JSON object, not /) },
    ]);
  });

  it('refuses an empty body, a body nested too deep, and characters PostgreSQL cannot store', async () => {
    expect((await post('')).body.errors[0]).toEqual({
      path: 'body',
      message: expect.stringContaining('empty'),
    });
    expect((await post(deep(5000))).body.errors[0].message).toContain(`${MAX_JSON_DEPTH} levels`);
    expect((await post(`{"a":${deep(MAX_JSON_DEPTH)}}`)).status).toBe(400);
    expect((await post(`{"a":${deep(MAX_JSON_DEPTH - 1)}}`)).status).toBe(200);
    expect((await post('{"m":"\\u0000"}')).body.errors).toEqual([
      { path: 'm', message: 'must not contain NUL characters' },
    ]);
  });

  it('keeps Fastify’s refusal of invalid JSON and prototype poisoning', async () => {
    expect((await post('{')).body.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect((await post('{"__proto__":{"x":1}}')).body.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });

  it('takes no other media type (415)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await post('a=1', type);
      expect([type, res.status, res.body.code]).toEqual([type, 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE']);
    }
  });
});
