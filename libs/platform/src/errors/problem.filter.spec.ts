import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { DomainError } from '@dap/eventsourcing';
import { sendProblem, toProblem } from './problem.filter.js';

const fastifyError = (code: string, statusCode: number) =>
  Object.assign(new Error(code), { name: 'FastifyError', code, statusCode });

describe('toProblem', () => {
  it('gives every framework error its status and an RFC 9457 body', () => {
    const cases: [unknown, number][] = [
      [fastifyError('FST_ERR_BAD_URL', 400), 400],
      [fastifyError('FST_ERR_MAX_PARAM_LENGTH', 414), 414],
      [fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), 413],
      [fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 415],
      [fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400), 400],
      // Nest wraps Fastify's 4xx errors; the cause decides.
      [
        new HttpException('Unsupported Media Type', 415, {
          cause: fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415),
        }),
        415,
      ],
      [Object.assign(new Error('http-errors style'), { status: 409 }), 409],
      [Object.assign(new Error('value too long'), { code: '22001' }), 400],
      [new DomainError('not-found', 'offer not found'), 404],
      [new Error('boom'), 500],
      [null, 500],
      ['a string thrown', 500],
      [Object.assign(new Error('server fault'), { statusCode: 503 }), 500],
    ];
    for (const [error, status] of cases) {
      const problem = toProblem(error);
      expect(problem).toMatchObject({
        status,
        type: expect.stringMatching(/^https:\/\//),
        title: expect.any(String),
      });
      expect(problem.detail).toEqual(expect.any(String));
      expect(problem.title).not.toBe('Error');
    }
  });

  it('names the part of the request a framework refused', () => {
    expect(toProblem(fastifyError('FST_ERR_BAD_URL', 400)).errors).toEqual([
      { path: 'url', message: 'is not valid percent-encoding' },
    ]);
    expect(toProblem(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400)).errors).toEqual([
      { path: 'body', message: 'is not valid JSON' },
    ]);
  });
});

describe('sendProblem', () => {
  const fakeReply = () => {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const reply: any = {
      sent: false,
      raw: { headersSent: false, destroy: () => undefined },
      request: {
        method: 'POST',
        url: '/api/v1/offers?x=1',
        routeOptions: { url: '/api/v1/offers' },
        id: 'req-1',
      },
      status: (s: number) => ((sent.status = s), reply),
      header: (k: string, v: string) => ((sent.headers[k] = v), reply),
      send: (b: unknown) => ((sent.body = b), reply),
    };
    return { reply, sent };
  };

  it('logs an unmapped error with what and where, and answers 500 problem+json', () => {
    const lines: unknown[][] = [];
    const logger: any = { error: (...args: unknown[]) => lines.push(args) };
    const { reply, sent } = fakeReply();
    sendProblem(reply, new TypeError('x is undefined'), logger);
    expect(sent.status).toBe(500);
    expect(sent.headers['Content-Type']).toBe('application/problem+json');
    expect(lines).toHaveLength(1);
    expect(lines[0][0]).toMatchObject({
      err: expect.any(TypeError),
      request: { method: 'POST', url: '/api/v1/offers?x=1', route: '/api/v1/offers', reqId: 'req-1' },
    });
    expect(lines[0][1]).toContain('x is undefined');
  });

  it('logs nothing for a refusal of the caller’s input', () => {
    const lines: unknown[] = [];
    const { reply, sent } = fakeReply();
    sendProblem(reply, new DomainError('invalid', 'bad'), {
      error: (...a: unknown[]) => lines.push(a),
    } as any);
    expect([sent.status, lines]).toEqual([400, []]);
  });
});
