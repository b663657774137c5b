import { describe, expect, it } from '@jest/globals';
import { dueNotices } from './expiry-notices.js';

const start = new Date('2026-11-21T00:00:00.000Z');
const expiresAt = new Date('2027-02-19T00:00:00.000Z'); // 90 days later
const daysBefore = (d: number, ms = 0) => new Date(expiresAt.getTime() - d * 86_400_000 + ms);

describe('expiry notices (30, 7 and 1 days before)', () => {
  it('is due from the threshold instant on, not a millisecond before', () => {
    expect(dueNotices(start, expiresAt, daysBefore(30, -1))).toEqual([]);
    expect(dueNotices(start, expiresAt, daysBefore(30))).toEqual([30]);
    expect(dueNotices(start, expiresAt, daysBefore(7))).toEqual([30, 7]);
    expect(dueNotices(start, expiresAt, daysBefore(1))).toEqual([30, 7, 1]);
  });

  it('is never due once the delegation has expired', () => {
    expect(dueNotices(start, expiresAt, expiresAt)).toEqual([]);
  });

  it('skips thresholds before the period started (a 5-day delegation has no 30- or 7-day notice)', () => {
    const short = new Date(start.getTime() + 5 * 86_400_000);
    expect(dueNotices(start, short, new Date(short.getTime() - 3_600_000))).toEqual([1]);
  });
});
