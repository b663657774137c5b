/**
 * Days in an ISO-8601 duration of days or weeks (`P90D`, `P12W`, `P1W3D`); null for anything else.
 * Months and years are refused: their length in days is ambiguous for an expiry.
 */
export function durationDays(duration: string): number | null {
  const match = /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?$/.exec(duration);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  return Number(match[1] ?? 0) * 7 + Number(match[2] ?? 0);
}
