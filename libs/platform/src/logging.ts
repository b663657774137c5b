import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';

/** Query parameters that must never reach a log line (offer link codes, tokens). */
const SECRET_PARAMS = /([?&](?:code|token|access_token)=)[^&]*/gi;
export const redactUrl = (url: string) => url.replace(SECRET_PARAMS, '$1[redacted]');

/** JSON logs through pino; authorization headers and link codes are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
      }),
    },
  });
}

/** Nest's own messages through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/** Says loudly when the built-in development secrets are in use. */
export function announceDevelopmentSecrets(config: AppConfig, logger: Logger): void {
  if (config.devJwtSecret)
    logger.warn('AUTH_JWT_SECRET is not set: using the DEVELOPMENT secret. Never use this in production.');
  if (config.devLinkSecret)
    logger.warn('OFFER_LINK_SECRET is not set: using the DEVELOPMENT secret for offer links.');
}
