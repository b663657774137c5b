import { useEffect, useRef, useState } from 'react';
import { followHealthEvents, type StreamEvent } from '../api/health-stream';

/**
 * Follows the health event stream while mounted; calls `onChange` (at most every 500 ms) after
 * events arrive, and reports whether the stream is connected and the latest events.
 */
export function useHealthEvents(clientId: string | undefined, onChange: () => void) {
  const [live, setLive] = useState(false);
  const [recent, setRecent] = useState<StreamEvent[]>([]);
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = followHealthEvents({
      clientId,
      onState: setLive,
      onEvent: (event) => {
        setRecent((list) => [event, ...list].slice(0, 20));
        clearTimeout(timer);
        timer = setTimeout(() => callback.current(), 500);
      },
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [clientId]);
  return { live, recent };
}
