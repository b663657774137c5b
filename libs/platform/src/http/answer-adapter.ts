import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { JsonAnswer } from './command-response.js';

/**
 * Nest's Fastify adapter, sending a `JsonAnswer` as it is: its status and headers (over the route's
 * default status), its text as the body. Everything else goes the usual way.
 */
export class AnswerAdapter extends FastifyAdapter {
  override reply(
    response: any,
    body: any,
    statusCode?: number,
  ): FastifyReply<any, any, any, any, any, any, any, any> {
    if (body instanceof JsonAnswer && typeof response?.code === 'function') {
      const reply = response as FastifyReply;
      return reply
        .code(body.status)
        .headers(body.headers)
        .send(body.text ?? undefined);
    }
    return super.reply(response, body, statusCode);
  }
}
