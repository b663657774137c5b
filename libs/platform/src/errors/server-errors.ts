import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { problem } from './problem.js';
import { sendProblem } from './problem.filter.js';

/**
 * Fastify's `frameworkErrors`: what its router refuses before any hook runs (a malformed
 * percent-escape in the path, a path parameter too long) answers problem+json like everything else.
 */
export const frameworkErrors =
  (logger: Logger) => (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, error, logger);

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request took too long to arrive'],
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser cannot read (invalid header names
 * or values, headers too large, a broken request line or framing) never reaches Fastify, so the
 * problem+json answer is written to the socket here, and the connection closed.
 */
export const clientErrorHandler =
  (logger: Logger) =>
  (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'the request is not valid HTTP'];
    logger.debug({ err: error, code: error.code }, 'unreadable request refused');
    if (!socket.writable) {
      socket.destroy(error);
      return;
    }
    const body = JSON.stringify(problem(status, detail));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  };
