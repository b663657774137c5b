import type { EventEnvelope } from '@dap/contracts';
import type { ReadStreamOptions } from './event-store.js';

/** Applies direction, start version and count to a whole stream held in memory. */
export function sliceStream(
  stream: EventEnvelope[],
  { direction = 'forward', fromVersion, maxCount }: ReadStreamOptions,
) {
  const limit = maxCount ?? Number.MAX_SAFE_INTEGER;
  if (direction === 'forward')
    return stream.filter((e) => e.streamVersion >= (fromVersion ?? 1)).slice(0, limit);
  return stream
    .filter((e) => e.streamVersion <= (fromVersion ?? Number.MAX_SAFE_INTEGER))
    .reverse()
    .slice(0, limit);
}
