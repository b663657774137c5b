import { API, authHeaders, withQuery } from './client';

export interface StreamEvent {
  id: string;
  type: string;
  data: { type: string; subject?: string; time?: string; data: Record<string, unknown> };
}

/**
 * Follows /health-events/stream. EventSource cannot send an Authorization header, so this reads the
 * Server-Sent Events with fetch streaming, resumes after the last id it saw, and reconnects.
 */
export function followHealthEvents(options: {
  clientId?: string;
  onEvent: (event: StreamEvent) => void;
  onState: (live: boolean) => void;
}): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  let retryMs = 2000;

  async function connect(): Promise<void> {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(
          API + withQuery('/health-events/stream', { clientId: options.clientId }),
          {
            headers: authHeaders({ accept: 'text/event-stream', ...(lastId && { 'last-event-id': lastId }) }),
            signal: abort.signal,
            cache: 'no-store',
          },
        );
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        options.onState(true);
        await read(response.body);
      } catch {
        if (abort.signal.aborted) return;
      }
      options.onState(false);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  async function read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  }

  function dispatch(block: string): void {
    let id: string | undefined;
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== undefined) lastId = id;
    if (!data.length) return;
    try {
      options.onEvent({ id: id ?? '', type, data: JSON.parse(data.join('\n')) });
    } catch {
      // not JSON: not one of ours
    }
  }

  void connect();
  return () => abort.abort();
}
