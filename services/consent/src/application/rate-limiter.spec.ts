import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@dap/eventsourcing';
import { AcceptanceRateLimiter, SlidingWindowLimiter } from './rate-limiter.js';
import { hashLinkCode, linkCodeMatches } from './link-code.js';
import { delegationIdFor } from './delegation-streams.js';

describe('sliding window limiter', () => {
  it('allows the limit within a window, then says how long to wait, then allows again', () => {
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 60_000 });
    expect(limiter.hit('k', 0)).toBeNull();
    expect(limiter.hit('k', 10_000)).toBeNull();
    expect(limiter.hit('k', 20_000)).toBe(40);
    expect(limiter.hit('other', 20_000)).toBeNull();
    expect(limiter.hit('k', 60_001)).toBeNull();
  });

  it('limits offer-link attempts per caller with too-many-requests and Retry-After seconds', () => {
    const limiter = new AcceptanceRateLimiter({ limit: 1, windowMs: 60_000 }, { limit: 5, windowMs: 60_000 });
    const now = new Date('2026-11-21T10:00:00.000Z');
    limiter.check('o1', 'caller-1', now);
    try {
      limiter.check('o1', 'caller-1', now);
      throw new Error('expected a limit');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'too-many-requests', details: { retryAfterSeconds: 60 } });
    }
  });

  it('limits attempts per offer across callers', () => {
    const limiter = new AcceptanceRateLimiter(
      { limit: 10, windowMs: 60_000 },
      { limit: 2, windowMs: 60_000 },
    );
    const now = new Date('2026-11-21T10:00:00.000Z');
    limiter.check('o1', 'a', now);
    limiter.check('o1', 'b', now);
    expect(() => limiter.check('o1', 'c', now)).toThrow(DomainError);
    expect(() => limiter.check('o2', 'c', now)).not.toThrow();
  });
});

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
