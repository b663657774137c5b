import fc from 'fast-check';
import { connect } from 'node:net';
import type { Answer } from './problem-check.js';

/**
 * Requests Node's HTTP parser or Fastify's router must refuse before any handler: broken request
 * lines, invalid header names and values, conflicting framing, oversized headers. Sent over a raw
 * socket (fetch cannot send them). None carries a token, so none may change anything.
 */
export const rawRequest = fc.oneof(
  fc
    .constantFrom(
      'GET /api/v1/offers HTTP/9.9',
      'GET /api/v1/offers',
      'GE T /api/v1/offers HTTP/1.1',
      'GET /api/v1/of fers HTTP/1.1',
      'GET api/v1/offers HTTP/1.1',
      'GET /api/v1/offers\u0001 HTTP/1.1',
      'BREW /api/v1/offers HTTP/1.1',
      'GET /api/v1/offers/%zz HTTP/1.1',
      'GET /api/v1/offers/%E0%A4%A HTTP/1.1',
      `GET /api/v1/delegations/${'d'.repeat(500)} HTTP/1.1`,
      'GET * HTTP/1.1',
      'GET http://other.example/api/v1/offers HTTP/1.1',
    )
    .map((line) => ({ line, headers: ['Host: x'], body: '', cls: 'bad request line' })),
  fc
    .constantFrom(
      'X-A: b\u0001c',
      'Bad Header: x',
      'X-Empty-Name\u0000: x',
      ': novalue',
      'X-Fold: a\r\n folded',
      `X-Big: ${'h'.repeat(20_000)}`,
      'Content-Length: abc',
      'Content-Length: -1',
      'Content-Length: 5\r\nContent-Length: 6',
      'Transfer-Encoding: chunked\r\nContent-Length: 3',
      'Transfer-Encoding: gzip',
      'Host: a\r\nHost: b',
      'Authorization: Bearer \u00ff\u00fe',
    )
    .map((header) => ({
      line: 'POST /api/v1/offers HTTP/1.1',
      headers: ['Host: x', header],
      body: '{}',
      cls: 'bad header',
    })),
  fc.constantFrom('{}', 'null', '{"a":', '['.repeat(100)).map((body) => ({
    line: 'POST /api/v1/offers HTTP/1.1',
    headers: ['Host: x', 'Transfer-Encoding: chunked', 'Content-Type: application/json'],
    body: `${body.length.toString(16)}\r\n${body}\r\nzz\r\n`,
    cls: 'bad chunked framing',
  })),
);

/** Writes raw bytes, reads until the server closes (or 3 s pass: an incomplete request gets no answer). */
export function sendRaw(port: number, text: string): Promise<Answer | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(raw);
      if (!match) return resolve(null);
      const contentType = /^content-type:\s*(.*)$/im.exec(match[2])?.[1]?.trim() ?? '';
      let body = match[3];
      if (/^transfer-encoding:\s*chunked/im.test(match[2]))
        body = body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '');
      resolve({ status: Number(match[1]), contentType, text: body });
    });
    socket.write(text, 'latin1');
  });
}
