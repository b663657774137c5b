// In Unicode mode a surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored: PostgreSQL holds neither U+0000 nor a lone UTF-16 surrogate in text or jsonb. */
export function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (no lone surrogates)';
  return null;
}

/**
 * Names of Object.prototype's own properties (`constructor`, `toString`, `__proto__`, …): as keys
 * they shadow what class-transformer and class-validator look up on a DTO instance, so the
 * whitelist lets them through. No DTO field is named so.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));
export const reservedKey = (key: string) =>
  RESERVED.has(key) ? 'is a reserved name, not a field of this API' : null;

const at = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * The first key or string, anywhere in a parsed JSON value, that is refused before validation, with
 * its path (`a.b[2]`): one PostgreSQL cannot store, or a reserved key. Walks with an explicit stack,
 * so no nesting overflows the call stack.
 */
export function findRefused(value: unknown, root = ''): { path: string; message: string } | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const message = unstorable(current);
      if (message) return { path: path || '(body)', message };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], at(path, i)]);
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i];
        const reserved = reservedKey(key);
        if (reserved) return { path: at(path, key), message: reserved };
        const message = unstorable(key);
        if (message) return { path: at(path, key), message: `${message} in its name` };
        stack.push([inner, at(path, key)]);
      }
    }
  }
  return null;
}
