const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether `value` is an ISO-8601 duration this service understands (years down to seconds). */
export const isIsoDuration = (value: string): boolean =>
  DURATION.test(value) && value !== 'P' && !value.endsWith('T');

/** `from` plus an ISO-8601 duration, calendar-aware for years and months (UTC). */
export function addIsoDuration(from: Date, duration: string): Date {
  const match = DURATION.exec(duration);
  if (!match || !isIsoDuration(duration)) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(from.getTime());
  date.setUTCFullYear(date.getUTCFullYear() + y, date.getUTCMonth() + mo);
  return new Date(date.getTime() + ((w * 7 + d) * 24 * 3600 + h * 3600 + mi * 60 + s) * 1000);
}

export const addDays = (from: Date, days: number): Date => new Date(from.getTime() + days * DAY_MS);
