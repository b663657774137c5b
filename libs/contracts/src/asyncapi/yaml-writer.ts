/**
 * A small, deterministic YAML writer for plain JSON data (objects, arrays, strings, numbers, booleans,
 * null): enough for the AsyncAPI document, with no dependency. Strings are quoted unless they are
 * plainly safe; arrays of scalars are written inline.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_. /()-]*[A-Za-z0-9_.)]$|^[A-Za-z]$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

const scalar = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return PLAIN.test(value) && !RESERVED.test(value) && !value.includes(': ') && !value.includes(' #')
      ? value
      : JSON.stringify(value);
  return JSON.stringify(value);
};

const isScalar = (value: unknown) => value === null || typeof value !== 'object';
const key = (k: string) => (PLAIN.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return [`${indent}[${value.map(scalar).join(', ')}]`];
    return value.flatMap((item) => {
      if (isScalar(item) || (Array.isArray(item) && item.length === 0)) return [`${indent}- ${scalar(item)}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.flatMap(([k, v]) => {
    if (isScalar(v)) return [`${indent}${key(k)}: ${scalar(v)}`];
    if (Array.isArray(v) && (v.length === 0 || v.every(isScalar)))
      return [`${indent}${key(k)}: [${v.map(scalar).join(', ')}]`];
    if (!Array.isArray(v) && Object.keys(v as object).length === 0) return [`${indent}${key(k)}: {}`];
    return [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)];
  });
}

export function toYaml(value: Record<string, unknown>): string {
  return `${lines(value, '').join('\n')}\n`;
}
