import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { SqlClient } from '@dap/eventsourcing';
import { loadConfig, loadConfigOrExit, type AppConfig } from './config/app-config.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { validationPipe } from './errors/validation.js';
import { clientErrorHandler, frameworkErrors } from './errors/server-errors.js';
import { AnswerAdapter } from './http/answer-adapter.js';
import { correlationId } from './http/correlation-id.js';
import { acceptOnlyJsonBodies } from './http/json-body-parser.js';
import { MethodTable } from './http/method-not-allowed.js';
import { rejectUnstorableUrl } from './http/url-guard.js';
import { announceDevelopmentSecrets, createLogger, PinoNestLogger } from './logging.js';
import { Metrics } from './ops/metrics.js';
import { PlatformModule } from './runtime/platform.module.js';
import type { Clock } from './runtime/tokens.js';

export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** Routes allowed a larger body (method and path pattern as Fastify registers them). */
const LARGE_BODY_ROUTES = new Map<string, number>([['POST /api/v1/health-issues', 1024 * 1024]]);

export interface AppOptions {
  config?: AppConfig;
  logger?: Logger;
  db?: SqlClient;
  clock?: Clock;
  title?: string;
  /** Serve the Swagger UI page (the JSON document at /api/docs-json is always served). */
  swaggerUi?: boolean;
}

/**
 * Builds the HTTP application around service modules: Fastify, /api/v1 prefix, auth, problem+json
 * for every error (Nest's, Fastify's, its router's and Node's HTTP parser's), JSON bodies only
 * (objects, nested at most MAX_JSON_DEPTH), validation, body limits, correlation ids, metrics and
 * OpenAPI at /api/docs.
 */
export async function createApp(modules: Type[], options: AppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.logLevel);
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, db: options.db, clock: options.clock }), ...modules],
  })
  class AppModule {}

  const adapter = new AnswerAdapter({
    loggerInstance: logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestIdHeader: false,
    genReqId: correlationId,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrors(logger),
    clientErrorHandler: clientErrorHandler(logger),
  });
  const fastify = adapter.getInstance();
  acceptOnlyJsonBodies(fastify);
  const methods = new MethodTable();
  fastify.addHook('onRoute', methods.record);
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      const limit = LARGE_BODY_ROUTES.get(`${m} ${route.url}`);
      if (limit) route.bodyLimit = limit;
    }
  });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-correlation-id', request.id);
  });
  fastify.addHook('onRequest', rejectUnstorableUrl);
  fastify.addHook('onRequest', methods.check);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Bodies are parsed by acceptOnlyJsonBodies, not by Nest's JSON and urlencoded parsers.
    bodyParser: false,
  });
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();

  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title ?? 'Delegated administration API')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, {
    useGlobalPrefix: false,
    swaggerUiEnabled: options.swaggerUi ?? true,
  });
  await app.init();
  return app;
}

/**
 * Starts an application on PORT and logs where; announces the development secrets loudly (once: not
 * again in each HTTP worker of the standalone process).
 */
export async function runApp(modules: Type[], title: string): Promise<NestFastifyApplication> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (process.env.DAP_HTTP_WORKER !== '1') announceDevelopmentSecrets(config, logger);
  const started = performance.now();
  const app = await createApp(modules, { config, logger, title });
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { port: config.port, readyMs: Math.round(performance.now() - started) },
    `${title} ready on http://localhost:${config.port}`,
  );
  return app;
}
