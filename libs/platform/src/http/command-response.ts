import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '@dap/eventsourcing';

/** `<store>:<position>`: the store that took a command and the global position of its last event. */
export const positionToken = (store: string, position: number) => `${store}:${position}`;

export interface CommandOutcome {
  store: string;
  globalPosition: number | null;
  streamVersion?: number;
}

/**
 * A JSON answer with a chosen status and headers, as the text to send. `AnswerAdapter` writes it
 * straight to the reply; a web `Response` is streamed by Nest through a `ReadableStream`, which took
 * about an eighth of an HTTP worker's CPU under a load of commands.
 */
export class JsonAnswer {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    /** null: no body (e.g. 204). */
    readonly text: string | null,
  ) {}
}

/**
 * A JSON answer with a chosen status and headers. Commands answer through it so that they carry
 * `X-Event-Position` (and `ETag` for the aggregate they changed). A command that changed nothing
 * reports the position of the aggregate's last event, so read-your-writes still holds.
 */
export function jsonResponse(
  status: number,
  body: unknown,
  outcome?: CommandOutcome,
  headers: Record<string, string> = {},
): JsonAnswer {
  const h: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  for (const [name, value] of Object.entries(headers)) h[name.toLowerCase()] = value;
  if (outcome) {
    if (outcome.globalPosition !== null)
      h['x-event-position'] = positionToken(outcome.store, outcome.globalPosition);
    if (outcome.streamVersion !== undefined) h.etag = `"${outcome.streamVersion}"`;
  }
  return new JsonAnswer(status, h, body === undefined ? null : JSON.stringify(body));
}

/** `If-Match: "3"` as the number 3; undefined when absent; 400 when malformed. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined => {
  const raw = ctx.switchToHttp().getRequest().headers['if-match'];
  if (raw === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(String(raw));
  if (!match) throw new DomainError('invalid', 'If-Match must be an ETag such as "3"', { field: 'If-Match' });
  return Number(match[1]);
});
