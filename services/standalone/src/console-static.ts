import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * apps/console/dist, found through the workspace's `@dap/console` package rather than a path relative to
 * this file: the built standalone runs bundled, from `dist/chunks/`. CONSOLE_DIR overrides it.
 */
export const DEFAULT_CONSOLE_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@dap/console/package.json')),
  'dist',
);
const CONSOLE_DIR = Symbol('CONSOLE_DIR');

/** Paths the console never answers, so that it never shadows the API or the operations endpoints. */
export function isReservedPath(path: string): boolean {
  return /^\/(api|health|metrics|dev)(\/|$)/.test(path);
}

/** The file under `root` a request path names, or null when it names none (or escapes root). */
export function fileFor(root: string, path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (!relative || relative.split(sep).includes('..')) return null;
  const file = join(root, relative);
  if (!file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? relative : null;
  } catch {
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** Sends one file of the build: hashed assets cached for a year, everything else revalidated. */
function sendFile(reply: FastifyReply, root: string, file: string) {
  const immutable = file.startsWith(`assets${sep}`);
  return reply
    .type(TYPES[extname(file)] ?? 'application/octet-stream')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(join(root, file)));
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Console not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The console is not built</h1><p>The API is running at <code>/api/v1</code> (OpenAPI at
<a href="/api/docs">/api/docs</a>). Build the web console with <code>npm run build</code> and reload.</p>`;

/**
 * Serves the built web console (apps/console/dist) at `/`: its files as they are, and index.html
 * for any other GET that is not an API or operations path (the single-page app's routes, such as
 * `/accept/{offerId}?code=…`). Registered routes (the API) always win over this catch-all.
 */
function serveConsole(fastify: FastifyInstance, root: string): void {
  fastify.get('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (isReservedPath(path)) return reply.callNotFound();
    if (!existsSync(join(root, 'index.html')))
      return reply.code(404).type('text/html; charset=utf-8').send(NOT_BUILT);
    const file = fileFor(root, path);
    if (file) return sendFile(reply, root, file);
    // A missing asset is a 404; anything else is a route of the single-page app.
    if (extname(path)) return reply.callNotFound();
    return sendFile(reply, root, 'index.html');
  });
}

class ConsoleStatic implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(CONSOLE_DIR) private readonly root: string,
  ) {}

  onModuleInit(): void {
    serveConsole(this.host.httpAdapter.getInstance<FastifyInstance>(), this.root);
  }
}

/** The web console at `/` (from `root`, apps/console/dist by default). */
@Module({})
export class ConsoleStaticModule {
  static serve(root = process.env.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR): DynamicModule {
    return {
      module: ConsoleStaticModule,
      providers: [{ provide: CONSOLE_DIR, useValue: resolve(root) }, ConsoleStatic],
    };
  }
}
