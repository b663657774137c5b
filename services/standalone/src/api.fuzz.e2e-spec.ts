import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStores } from '@dap/platform';
import { startTestApp, type TestApp } from '@dap/testing';
import { badRequest, everyFieldDefect, type FuzzContext, type FuzzRequest } from './fuzz/bad-requests.js';
import { plausible } from './fuzz/bad-values.js';
import { operationsOf, type Operation } from './fuzz/openapi-operations.js';
import { complaint, describe as describeRequest, send } from './fuzz/problem-check.js';
import { rawRequest, sendRaw } from './fuzz/raw-http.js';
import { realIdFor, seed, type SeedIds } from './fuzz/seed.js';
import { forgedAuthorizations, validTokens } from './fuzz/tokens.js';
import { StandaloneModule } from './standalone.module.js';

/**
 * Property-based fuzzing of every operation in the OpenAPI document the app serves, with all five
 * services in one process over seeded data. FUZZ_RUNS (default 800) is the number of randomly
 * generated requests shared among the operations (the enumerated field defects come on top);
 * FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const RAW_RUNS = Math.max(30, Math.round(RUNS / 20));

describe('the whole API under generated bad input', () => {
  let t: TestApp;
  let operations: Operation[];
  let ctx: Omit<FuzzContext, 'admitted'>;
  let heads: Record<string, number>;
  let seeded: SeedIds;
  const admittedBy = new Map<string, string[]>();
  const classes = new Map<string, number>();
  let sent = 0;

  const headsNow = async () => {
    const stores = t.app.get(EventStores).own();
    return Object.fromEntries(
      await Promise.all(stores.map(async (s) => [s.name, await s.headPosition()] as const)),
    );
  };

  const realPath = (op: Operation) =>
    (op.path.endsWith('/accept')
      ? (p: string) => `${p}?code=${encodeURIComponent(seeded.code)}`
      : (p: string) => p)(realPathOnly(op));
  const realPathOnly = (op: Operation) =>
    op.pathParams.reduce(
      (p, n) => p.replace(`{${n}}`, encodeURIComponent(realIdFor(op.path, n, seeded))),
      op.path,
    );

  const sendChecked = async (request: FuzzRequest) => {
    sent++;
    for (const c of request.classes) classes.set(c, (classes.get(c) ?? 0) + 1);
    const answer = await send(t.baseUrl, request);
    const wrong = complaint(request, answer);
    if (wrong) throw new Error(`${wrong}\n  request: ${describeRequest(request)}`);
    return answer;
  };

  beforeAll(async () => {
    t = await startTestApp([StandaloneModule]);
    seeded = await seed(t);
    const ids = Object.values(seeded);
    await t.caughtUp();
    const doc = await (await fetch(`${t.baseUrl}/api/docs-json`)).json();
    operations = operationsOf(doc as Parameters<typeof operationsOf>[0]);
    const valid = Object.fromEntries(Object.entries(validTokens()).map(([k, v]) => [k, `Bearer ${v}`]));
    ctx = { ids, valid, forged: forgedAuthorizations() };
    expect(Object.keys(await headsNow()).sort()).toEqual([
      'client-directory',
      'consent',
      'health',
      'offer',
      'service-request',
    ]);
  }, 120_000);
  afterAll(async () => t?.close());

  it('reads every operation from the OpenAPI document, finds which callers each admits, and checks the valid bodies it mutates', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    // A junk X-Min-Position is refused after the guard: 400 means the caller got past it, 401/403 not.
    for (const op of operations) {
      const admitted: string[] = [];
      for (const [name, auth] of Object.entries(ctx.valid)) {
        const url = realPath(op);
        const request: FuzzRequest = {
          method: op.method,
          url,
          headers: { authorization: auth, 'x-min-position': 'junk' },
          classes: ['caller probe'],
          mustFail: true,
        };
        const { status } = await sendChecked(request);
        if (status !== 401 && status !== 403) admitted.push(name);
      }
      admittedBy.set(op.id, admitted);
    }
    // The generators mutate one field of a body that is otherwise valid; a body the document cannot
    // describe validly (a pattern without an example) would hide every defect, so it fails here.
    const invalidBases: string[] = [];
    for (const op of operations.filter((o) => o.body)) {
      const name = admittedBy.get(op.id)?.[0];
      if (!name) continue;
      const base = { ...(plausible(op.body!) as object), probeField: 1 };
      const url = realPath(op);
      const answer = await sendChecked({
        method: op.method,
        url,
        headers: { authorization: ctx.valid[name], 'content-type': 'application/json' },
        body: JSON.stringify(base),
        classes: ['base body probe'],
        mustFail: true,
      });
      const paths = (JSON.parse(answer.text).errors ?? []).map((e: { path: string }) => e.path);
      if (answer.status !== 400 || paths.some((p: string) => p !== 'probeField'))
        invalidBases.push(`${op.id}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    expect(invalidBases).toEqual([]);

    // Each valid base is then sent once as a real command (revocations last): when the domain takes
    // it, every generated defect of that operation is one change away from a state change, so a
    // defect the server misses shows as an accepted command. Heads are taken after this.
    const accepted: string[] = [];
    const refused: string[] = [];
    const commands = operations.filter((o) => o.body && o.isCommand);
    commands.sort((a, b) => Number(a.path.includes('revoke')) - Number(b.path.includes('revoke')));
    for (const op of commands) {
      const name = admittedBy.get(op.id)?.[0];
      if (!name) continue;
      const res = await send(t.baseUrl, {
        method: op.method,
        url: realPath(op),
        headers: { authorization: ctx.valid[name], 'content-type': 'application/json' },
        body: JSON.stringify(plausible(op.body!)),
        classes: [],
        mustFail: false,
      });
      if (res.status < 300) accepted.push(op.id);
      else refused.push(`${op.id} (${res.status}: ${res.text.slice(0, 120)})`);
    }
    console.log(
      `valid bases the domain took: ${accepted.length} of ${commands.length}; refused: ${refused.join('; ')}`,
    );
    // A base the domain refuses would stop every defect of that operation at the domain: give its
    // field an `example` in the DTO, or a seeded value in SEEDED_FIELDS.
    expect(refused).toEqual([]);
    await t.caughtUp();
    heads = await headsNow();
    const withoutBody = operations.filter((o) => o.isCommand && !o.body).map((o) => o.id);
    console.log(
      `fuzzing ${operations.length} operations; commands the document gives no body schema (fuzzed with generic bodies): ${withoutBody.join(', ') || 'none'}`,
    );
  });

  it('refuses every single-field defect of every command body, enumerated from its schema', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.isCommand && o.body)) {
      const name = admittedBy.get(op.id)?.[0];
      if (!name) continue;
      for (const { body, classes } of everyFieldDefect(op.body!)) {
        try {
          await sendChecked({
            method: op.method,
            url: realPath(op),
            headers: { authorization: ctx.valid[name], 'content-type': 'application/json' },
            body,
            classes: ['enumerated', ...classes],
            mustFail: true,
          });
        } catch (error) {
          failures.push(`${op.id}: ${(error as Error).message.slice(0, 600)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers every generated request with no 5xx, complete problem+json for errors, and no command accepted', async () => {
    const perOperation = Math.max(10, Math.ceil(RUNS / operations.length));
    const failures: string[] = [];
    const started = performance.now();
    for (const op of operations) {
      try {
        await fc.assert(
          fc.asyncProperty(badRequest(op, { ...ctx, admitted: admittedBy.get(op.id) ?? [] }), async (r) => {
            await sendChecked(r);
          }),
          { numRuns: perOperation, seed: SEED, endOnFailure: true },
        );
      } catch (error) {
        failures.push(`${op.id}: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`);
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${sent} requests in ${seconds} s; classes: ${[...classes].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers malformed HTTP (request lines, headers, framing) with problem+json before any handler', async () => {
    const port = Number(new URL(t.baseUrl).port);
    await fc.assert(
      fc.asyncProperty(rawRequest, async ({ line, headers, body, cls }) => {
        sent++;
        classes.set(`raw: ${cls}`, (classes.get(`raw: ${cls}`) ?? 0) + 1);
        const text = `${line}\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`;
        const answer = await sendRaw(port, text);
        // An incomplete request (framing that promises more) may get no answer: that is no failure.
        if (!answer) return;
        const wrong = complaint({ mustFail: true }, answer);
        if (wrong) throw new Error(`${wrong}\n  raw request: ${JSON.stringify(text.slice(0, 300))}`);
      }),
      { numRuns: RAW_RUNS, seed: SEED },
    );
  }, 300_000);

  it('changed nothing: every event store head is where it was before the run', async () => {
    await t.caughtUp();
    expect(await headsNow()).toEqual(heads);
  });
});
