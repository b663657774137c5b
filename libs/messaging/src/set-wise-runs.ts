import type { EventEnvelope } from '@dap/contracts';

/**
 * Splits events, in order, into runs that a set-wise handler may apply in one statement with the
 * effect of applying them one by one: each run holds one event type and touches each row (`keyOf`)
 * once. Events `keyOf` returns undefined for are left out (the consumer ignores them).
 */
export function setWiseRuns(
  events: EventEnvelope[],
  keyOf: (event: EventEnvelope) => string | undefined,
): EventEnvelope[][] {
  const runs: EventEnvelope[][] = [];
  let keys = new Set<string>();
  for (const event of events) {
    const key = keyOf(event);
    if (key === undefined) continue;
    const run = runs.at(-1);
    if (run && run[0].type === event.type && !keys.has(key)) run.push(event);
    else {
      runs.push([event]);
      keys = new Set();
    }
    keys.add(key);
  }
  return runs;
}
