import { describe, expect, it } from '@jest/globals';
import { hashLinkCode, linkCodeMatches } from './link-code.js';
import { delegationIdFor } from './delegation-streams.js';

describe('link codes and delegation ids', () => {
  it('matches a code only against the hash of that code', () => {
    const hash = hashLinkCode('s3cret-code');
    expect(linkCodeMatches('s3cret-code', hash)).toBe(true);
    expect(linkCodeMatches('s3cret-codf', hash)).toBe(false);
    expect(linkCodeMatches(undefined, hash)).toBe(false);
    expect(linkCodeMatches('', hash)).toBe(false);
  });

  it('derives a stable UUID per (partner, client, generation)', () => {
    const id = delegationIdFor('p1', 'c1', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(delegationIdFor('p1', 'c1', 1)).toBe(id);
    expect(delegationIdFor('p1', 'c1', 2)).not.toBe(id);
    expect(delegationIdFor('p2', 'c1', 1)).not.toBe(id);
  });
});
