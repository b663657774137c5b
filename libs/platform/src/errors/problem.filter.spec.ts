import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { DomainError } from '@dap/eventsourcing';
import { toProblem } from './problem.filter.js';

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
