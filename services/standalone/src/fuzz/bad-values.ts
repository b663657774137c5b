import fc from 'fast-check';
import type { Schema } from './openapi-operations.js';
import { SEEDED_FIELDS } from './seed.js';

/**
 * Bodies are built as JSON values and serialised; a marker string stands for a nested value too deep
 * to build as an object (JSON.stringify recurses), spliced in as text by {@link serialise}.
 */
const DEEP = /"@@DEEP_(\d+)_([ao])@@"/g;
export const deepMarker = (depth: number, kind: 'a' | 'o') => `@@DEEP_${depth}_${kind}@@`;
export const deepText = (depth: number, kind: string) =>
  kind === 'a' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
export const serialise = (value: unknown) =>
  JSON.stringify(value).replace(DEEP, (_, depth, kind) => deepText(Number(depth), kind));

/** Arrays or objects nested deeper than the API's limit of 32, up to a few thousand levels. */
export const deepValue = fc
  .tuple(fc.integer({ min: 33, max: 5000 }), fc.constantFrom<'a' | 'o'>('a', 'o'))
  .map(([depth, kind]) => deepMarker(depth, kind));

/** Strings PostgreSQL cannot store (NUL, lone surrogates): refused wherever they appear. */
export const unstorableString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '\ude00a', 'ok\u0000\ud800'),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000`),
  fc.string({ maxLength: 20 }).map((s) => `${s}\udbff`),
);

const SPECIAL = [
  '',
  ' ',
  "'",
  '"',
  "' OR '1'='1",
  "'; DROP TABLE offer.events; --",
  '%',
  '%%',
  '%00',
  '%ZZ',
  '\\',
  '../../etc/passwd',
  '..',
  '.',
  '{{7*7}}',
  '${jndi:ldap://x/a}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e400',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '\u202etxt.exe',
  '\u200b',
  '\ufeff',
  '\u2028\u2029',
  'ñ',
  '𝕏🙂',
  '\t\r\n',
  '\u0001\u001f\u007f',
  'a'.repeat(256),
  'A:B',
  'x,y',
  '*',
  '?',
  '#',
  '&',
  '=',
  '+',
  '/',
  'true',
  '[]',
  '{}',
];

/** Strings that are odd but storable: injections, separators, Unicode edge cases, long ones. */
export const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 12_000 }).map((n) => 'x'.repeat(n)) },
);

/** A value that fits the schema as far as the document says (formats and patterns it omits may not). */
export function plausible(schema: Schema): unknown {
  if (schema.example !== undefined && schema.type !== 'object') return structuredClone(schema.example);
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      // A month ahead: a time in the past is refused by rules the document cannot state (expiresAt).
      if (schema.format === 'date-time') return new Date(Date.now() + 30 * 86_400_000).toISOString();
      if (schema.format === 'email') return 'someone@example.com';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => plausible(schema.items ?? {}));
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [
          k,
          k in SEEDED_FIELDS ? structuredClone(SEEDED_FIELDS[k]) : plausible(v),
        ]),
      );
    default:
      return 'x';
  }
}

/** Values of the wrong JSON type for the schema, and null. */
export function wrongTypes(schema: Schema): unknown[] {
  const all: Record<string, unknown[]> = {
    string: [1, -1.5, true, {}, ['x'], { value: 'x' }],
    integer: ['1', 1.5, true, {}, [1], 'one'],
    number: ['1', true, {}, [1]],
    boolean: ['true', 'false', 1, 0, [], {}],
    array: ['x', 1, {}, true, { 0: 'a' }],
    object: ['x', 1, true, [], [{}], [plausible(schema)]],
  };
  // null is refused for every field (an optional one is left out instead).
  return [...(all[schema.type ?? 'string'] ?? all.string), null];
}

/**
 * Values the schema forbids, as a list: wrong types, out of range, too long or short, not in the
 * enum, not the format, unstorable, too deep. Rules the document cannot state are asserted for
 * every field: a string is bounded below 100,000 characters and an integer fits PostgreSQL's int4.
 */
export function violations(schema: Schema): unknown[] {
  const out: unknown[] = [...wrongTypes(schema), deepMarker(40, 'a'), deepMarker(40, 'o')];
  const type = schema.type ?? 'string';
  if (type === 'string') {
    out.push('a\u0000b', 'x\ud800', 'x'.repeat(100_000));
    if (schema.maxLength !== undefined) out.push('y'.repeat(schema.maxLength + 1));
    if ((schema.minLength ?? 0) >= 1) out.push('');
    if (schema.enum?.length) out.push(`${schema.enum[0]}x`, String(schema.enum[0]).toUpperCase() + '!', ' ');
    if (schema.format === 'date-time') out.push('not-a-date', '2024-13-45T25:61:00Z', '1');
    if (schema.format === 'email') out.push('not-an-email', 'a@', 'a b@c.d');
  }
  if (type === 'integer' || type === 'number') {
    out.push(2 ** 31, 1e20, -(2 ** 53));
    if (type === 'integer') out.push(1.5);
    if (schema.minimum !== undefined) out.push(schema.minimum - 1);
    if (schema.maximum !== undefined) out.push(schema.maximum + 1);
  }
  if (type === 'array') {
    const item = plausible(schema.items ?? {});
    if (schema.maxItems !== undefined) out.push(Array.from({ length: schema.maxItems + 1 }, () => item));
    if ((schema.minItems ?? 0) >= 1) out.push([]);
    if (schema.items) out.push(...violations(schema.items).map((v) => [item, v]));
  }
  return out;
}

/** {@link violations}, and generated ones (other depths, unstorable strings, lengths). */
export function violation(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...violations(schema)), deepValue];
  if ((schema.type ?? 'string') === 'string') {
    options.push(unstorableString);
    if (schema.maxLength !== undefined)
      options.push(
        fc.integer({ min: schema.maxLength + 1, max: schema.maxLength * 2 + 1 }).map((n) => 'y'.repeat(n)),
      );
  }
  return fc.oneof(...options);
}
