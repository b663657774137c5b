import { createHash, timingSafeEqual } from 'node:crypto';

/** sha256 hex of an offer link code: the only form in which consent ever sees it stored. */
export const hashLinkCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/** Compares a presented code with the published hash in constant time. */
export function linkCodeMatches(code: string | undefined, codeHash: string): boolean {
  if (typeof code !== 'string' || code.length === 0 || code.length > 512) return false;
  const presented = Buffer.from(hashLinkCode(code), 'hex');
  const expected = Buffer.from(codeHash, 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
