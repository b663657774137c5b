import fc from 'fast-check';
import {
  deepText,
  oddString,
  plausible,
  serialise,
  unstorableString,
  violation,
  violations,
} from './bad-values.js';
import type { Operation, Schema } from './openapi-operations.js';

/** One generated request, and the classes of bad input it carries (for the coverage count). */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  classes: string[];
  /** It carries a defect every operation must refuse: a command must not succeed. */
  mustFail: boolean;
}

export interface FuzzContext {
  /** Real ids of the seeded data (offers, delegations, clients, users, requests, issues, subscriptions). */
  ids: string[];
  /** Authorization headers of valid callers, by name. */
  valid: Record<string, string>;
  /** The valid callers the operation admits (found by probing). */
  admitted: string[];
  forged: Record<string, string>;
}

type Path = (string | number)[];
interface Target {
  path: Path;
  schema: Schema;
  required: boolean;
}

/** Every field of a body schema, nested ones and array items included. */
function targets(schema: Schema, path: Path = []): Target[] {
  if (schema.type === 'object' || schema.properties)
    return Object.entries(schema.properties ?? {}).flatMap(([key, inner]) => {
      const here = [...path, key];
      return [
        { path: here, schema: inner, required: (schema.required ?? []).includes(key) },
        ...targets(inner, here),
      ];
    });
  if (schema.type === 'array' && schema.items) return targets(schema.items, [...path, 0]);
  return [];
}

const clone = (v: unknown) => structuredClone(v) as any;
function setAt(root: any, path: Path, value: unknown, remove = false): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
}

/** An object body with one definite defect somewhere in it (the document's schema says where). */
function badObjectBody(schema: Schema): fc.Arbitrary<{ body: string; classes: string[] }> {
  const base = plausible(schema) as Record<string, unknown>;
  const fields = targets(schema);
  const known = new Set(fields.map((t) => String(t.path[t.path.length - 1])));
  const options: fc.Arbitrary<{ body: string; classes: string[] }>[] = [
    // An unknown field, at the top or inside a nested object.
    fc
      .tuple(
        fc.constantFrom<Path>([], ...fields.filter((t) => t.schema.type === 'object').map((t) => t.path)),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.constantFrom('constructor', 'toString', 'x-y'),
        ),
        fc.oneof(oddString, fc.integer(), fc.constant(null)),
      )
      .filter(([, key]) => !known.has(key) && key !== '__proto__')
      .map(([path, key, value]) => {
        const body = clone(base);
        setAt(body, [...path, key], value);
        return { body: serialise(body), classes: ['extra field'] };
      }),
  ];
  const required = fields.filter((t) => t.required);
  if (required.length)
    options.push(
      fc.constantFrom(...required).map((t) => {
        const body = clone(base);
        setAt(body, t.path, undefined, true);
        return { body: serialise(body), classes: ['missing required field'] };
      }),
    );
  if (fields.length)
    options.push(
      fc
        .constantFrom(...fields)
        .chain((t) => violation(t.schema).map((value) => ({ t, value })))
        .map(({ t, value }) => {
          const body = clone(base);
          setAt(body, t.path, value);
          return { body: serialise(body), classes: [`bad ${t.schema.type ?? 'string'} field`] };
        }),
    );
  return fc.oneof(...options);
}

/**
 * Every single-field defect of a body, enumerated: each field left out (when required), given each
 * value of {@link violations}, and an unknown field beside it. Deterministic, so that no field or
 * value class depends on luck; the random run then combines them with everything else.
 */
export function everyFieldDefect(schema: Schema): { body: string; classes: string[] }[] {
  const base = plausible(schema);
  const out: { body: string; classes: string[] }[] = [];
  const put = (path: Path, value: unknown, cls: string, remove = false) => {
    const body = clone(base);
    setAt(body, path, value, remove);
    out.push({ body: serialise(body), classes: [cls] });
  };
  put(['unknownField'], 1, 'extra field');
  for (const t of targets(schema)) {
    if (t.required) put(t.path, undefined, 'missing required field', true);
    for (const value of violations(t.schema)) put(t.path, value, `bad ${t.schema.type ?? 'string'} field`);
    if (t.schema.type === 'object') put([...t.path, 'unknownField'], 1, 'extra field');
  }
  return out;
}

/** Bodies no JSON-object endpoint may take: not an object, not JSON, too deep, poisoned. */
const badRawBody = fc.oneof(
  fc.constantFrom('null', '[]', '[{}]', '"x"', '1', '-0', '1e400', 'true', 'false').map((body) => ({
    body,
    classes: ['body not an object'],
  })),
  fc
    .constantFrom('{', '{"a":', '{a:1}', "{'a':1}", '{"a":1,}', '\u0000', 'NaN', '{}{}', '{"a":1}x')
    .map((body) => ({ body, classes: ['body not JSON'] })),
  fc
    .tuple(fc.integer({ min: 33, max: 20_000 }), fc.constantFrom('a', 'o'))
    .map(([depth, kind]) => ({ body: deepText(depth, kind), classes: ['body too deep'] })),
  fc
    .constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}')
    .map((body) => ({ body, classes: ['prototype poisoning'] })),
  unstorableString.map((s) => ({ body: serialise({ [s]: 1 }), classes: ['unstorable key'] })),
  fc.constant({ body: `{"a":"${'z'.repeat(1_100_000)}"}`, classes: ['body too large'] as string[] }),
);

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json-patch+json',
  'application/octet-stream',
  'json',
];

/** A path or query value: a real id, or something odd. */
const value = (ctx: FuzzContext) =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ctx.ids) }, { weight: 3, arbitrary: oddString });

// encodeURIComponent throws on a lone surrogate; such URLs are sent as raw UTF-8 escapes instead.
const LONE = /\p{Cs}/gu;
const encode = (s: string) => encodeURIComponent(s.replace(LONE, '\uFFFD'));

const urlDefect = fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '%FF%FE');

function urlFor(op: Operation, ctx: FuzzContext) {
  const params = op.pathParams.map((name) =>
    fc
      .oneof(
        { weight: 5, arbitrary: value(ctx).map(encode) },
        { weight: 1, arbitrary: urlDefect },
        { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => 'p'.repeat(n)) },
      )
      .map((v) => [name, v] as const),
  );
  const query = op.query.map((p) =>
    fc.option(
      fc
        .oneof(
          { weight: 2, arbitrary: fc.constant(String(plausible(p.schema))) },
          { weight: 4, arbitrary: value(ctx) },
          { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1.5', '1e9', '999999999999', 'abc', '') },
        )
        .map((v) => [p.name, v] as const),
      { freq: 2 },
    ),
  );
  const extra = fc.option(
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x', 'limit[]', 'a[b]'), oddString),
    {
      freq: 4,
    },
  );
  const repeated = fc.option(fc.constantFrom(...(op.query.length ? op.query.map((p) => p.name) : ['x'])), {
    freq: 6,
  });
  return fc
    .record({
      params: fc.tuple(...params),
      query: fc.tuple(...query),
      extra,
      repeated,
      rawDefect: fc.option(urlDefect, { freq: 10 }),
    })
    .map(({ params, query, extra, repeated, rawDefect }) => {
      let path = op.path;
      for (const [name, v] of params) path = path.replace(`{${name}}`, v);
      const pairs = query
        .filter((q): q is readonly [string, string] => q !== null)
        .map(([k, v]) => `${encode(k)}=${encode(v)}`);
      if (extra) pairs.push(`${encode(extra[0])}=${encode(extra[1])}`);
      if (repeated) pairs.push(`${repeated}=a`, `${repeated}=b`);
      if (rawDefect) pairs.push(`q=${rawDefect}`);
      const classes = [
        ...(op.pathParams.length ? ['path parameters'] : []),
        ...(pairs.length ? ['query parameters'] : []),
        ...(rawDefect || params.some(([, v]) => v.startsWith('%') || v.length > 100)
          ? ['bad url encoding or length']
          : []),
      ];
      return { url: pairs.length ? `${path}?${pairs.join('&')}` : path, classes };
    });
}

const junkIdempotencyKey = fc.constantFrom('k'.repeat(201), 'with space', 'tab\there', 'ümlaut', ' ');
const junkMinPosition = fc.constantFrom(
  'x',
  'offer',
  'offer:',
  'offer:-1',
  ':1',
  'OFFER:1',
  'offer:1,',
  'offer:1;consent:2',
  'offer:1234567890123456',
  'a b:1',
);

/** Headers any request may carry: odd values that are no defect by themselves. */
const optionalHeaders = fc.record(
  {
    'if-match': fc.constantFrom('"1"', '*', 'W/"0"', 'abc', '"-1"', '"99999999999999999999"', ''),
    'x-min-position': fc.constantFrom('offer:0', 'consent:0,health:0', 'unknown-store:1'),
    'x-correlation-id': fc.constantFrom('c'.repeat(500), 'has space', 'ok-id', 'ümlaut'),
    accept: fc.constantFrom('text/html', '*/*', 'application/xml', 'garbage'),
    'accept-language': fc.constantFrom('zz', '*;q=abc'),
  },
  { requiredKeys: [] },
);

/** A generated request to the operation: bad in at least one way when it is a command. */
export function badRequest(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const admitted = ctx.admitted.length ? ctx.admitted : Object.keys(ctx.valid);
  const validAuth = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...admitted).map((n) => ctx.valid[n]) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(ctx.valid)) },
  );
  const forgedAuth = fc.oneof(
    fc
      .constantFrom(...Object.keys(ctx.forged))
      .map((n) => ({ auth: ctx.forged[n] as string | undefined, name: n })),
    fc.constant({ auth: undefined as string | undefined, name: 'no token' }),
  );
  const objectBody = op.body
    ? badObjectBody(op.body)
    : fc.constant({ body: '{}', classes: ['generic body (no schema)'] as string[] });
  const plausibleBody = op.body ? serialise(plausible(op.body)) : undefined;

  type Defect = {
    auth?: string;
    body?: string;
    contentType?: string;
    headers?: Record<string, string>;
    classes: string[];
  };
  const defects: fc.Arbitrary<Defect>[] = [
    forgedAuth.chain(({ auth, name }) =>
      fc
        .oneof(
          fc.constant(plausibleBody),
          objectBody.map((b) => b.body),
        )
        .map((body) => ({
          auth,
          body,
          classes: [`forged token: ${name}`],
        })),
    ),
    validAuth.chain((auth) => badRawBody.map((b) => ({ auth, ...b }))),
    validAuth.chain((auth) =>
      fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({
        auth,
        body: plausibleBody ?? '{}',
        contentType,
        classes: ['unsupported content type'],
      })),
    ),
    validAuth.chain((auth) =>
      fc
        .oneof(
          junkIdempotencyKey.map((v) => ({ 'idempotency-key': v })),
          junkMinPosition.map((v) => ({ 'x-min-position': v })),
        )
        .map((headers) => ({ auth, body: plausibleBody, headers, classes: ['bad header'] })),
    ),
  ];
  if (op.body) {
    // Field-level defects reach the deepest code (the DTO layer), so they get the most runs.
    const fieldDefect = validAuth.chain((auth) => objectBody.map((b) => ({ auth, ...b })));
    defects.push(fieldDefect, fieldDefect, fieldDefect);
  }

  const read = fc.record({
    auth: fc.oneof(
      { weight: 4, arbitrary: validAuth },
      { weight: 1, arbitrary: forgedAuth.map((f) => f.auth) },
    ),
    headers: fc.option(
      junkMinPosition.map((v) => ({ 'x-min-position': v })),
      { freq: 8 },
    ),
  });

  return fc
    .record({
      url: urlFor(op, ctx),
      extraHeaders: optionalHeaders,
      defect: op.isCommand
        ? fc.oneof(...defects)
        : read.map((r) => ({ auth: r.auth, headers: r.headers ?? undefined, classes: [] as string[] })),
    })
    .map(({ url, extraHeaders, defect }) => {
      const d = defect as Defect;
      const headers: Record<string, string> = { ...extraHeaders, ...d.headers, connection: 'keep-alive' };
      if (d.auth !== undefined) headers.authorization = d.auth;
      if (d.body !== undefined) headers['content-type'] = d.contentType ?? 'application/json';
      return {
        method: op.method,
        url: url.url,
        headers,
        body: d.body,
        classes: [...url.classes, ...d.classes, ...(Object.keys(extraHeaders).length ? ['odd headers'] : [])],
        mustFail: op.isCommand,
      };
    });
}
