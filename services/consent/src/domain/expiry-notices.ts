import { addDays } from './duration.js';

/** The partner is e-mailed this many days before a delegation expires. */
export const NOTICE_DAYS = [30, 7, 1] as const;

/**
 * Which notices are due for a delegation at `now`: each threshold whose instant (expiresAt minus the
 * days) lies within the current period (from `periodStart`, the grant or the last extension) and
 * has passed, while the delegation has not yet expired. Missed thresholds after downtime are all due;
 * a threshold before the period started (a 5-day delegation has no 30-day notice) never is.
 */
export function dueNotices(periodStart: Date, expiresAt: Date, now: Date): number[] {
  if (now.getTime() >= expiresAt.getTime()) return [];
  return NOTICE_DAYS.filter((days) => {
    const at = addDays(expiresAt, -days).getTime();
    return at >= periodStart.getTime() && at <= now.getTime();
  });
}
