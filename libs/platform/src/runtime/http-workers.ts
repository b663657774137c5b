import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { loadConfigOrExit, type AppConfig } from '../config/app-config.js';
import { announceDevelopmentSecrets, createLogger } from '../logging.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { isWorkerMessage, positionKey, type WorkerMessage } from './worker-messages.js';

/**
 * Called first by the standalone's main: in the process started by `npm start`, with HTTP_WORKERS > 1,
 * becomes the primary of that many workers and resolves true; in a worker, or with one worker, resolves
 * false and the caller runs the application itself. Imports nothing of the application, so that the
 * primary stays small (each worker loads it).
 */
export async function becomeHttpWorkersPrimary(title: string): Promise<boolean> {
  if (!cluster.isPrimary || process.env.DAP_HTTP_WORKER === '1') {
    // From its first moment: a worker whose primary is gone (killed) must not live on.
    if (cluster.isWorker) process.on('disconnect', () => process.exit(1));
    return false;
  }
  const config = loadConfigOrExit();
  if (config.httpWorkers <= 1) return false;
  const logger = createLogger(config.logLevel);
  announceDevelopmentSecrets(config, logger);
  await runHttpWorkers(config, logger);
  logger.info(
    { port: config.port, workers: config.httpWorkers },
    `${title}: ${config.httpWorkers} HTTP workers`,
  );
  return true;
}

/**
 * In an HTTP worker, resolves once the primary has the embedded database server up; in a lone process on
 * the embedded server, starts it: either way the caller loads the application meanwhile, and opening the
 * database after takes the running server. A start that fails here fails again, reported, when the
 * application opens the database.
 */
export function databaseReady(): Promise<void> {
  if (!cluster.isWorker) {
    const config = loadConfigOrExit();
    if (config.databaseUrl) return Promise.resolve();
    return startEmbeddedPostgres(config.dataDir).then(
      () => undefined,
      () => undefined,
    );
  }
  return new Promise((resolve) => {
    const listener = (message: unknown) => {
      if (!isWorkerMessage(message) || message.dap !== 'database-ready') return;
      process.off('message', listener);
      resolve();
    };
    process.on('message', listener);
    process.send!({ dap: 'database?' } satisfies WorkerMessage);
  });
}

/**
 * The standalone's primary process when it runs several HTTP workers (`HTTP_WORKERS`, default: half
 * the cores, so two from four cores up). It owns the embedded database server (workers connect to it),
 * forks the workers onto one shared port, and relays between them: appends wake readers everywhere,
 * and the consumer progress of worker 1, the only one running consumers and schedulers, reaches the
 * others' X-Min-Position waits. A worker that dies is replaced. On SIGTERM/SIGINT the workers shut down
 * (each finishes its requests and batches), then the server stops, then the primary exits by the signal.
 */
export async function runHttpWorkers(config: AppConfig, logger: Logger): Promise<void> {
  // The workers load the application while the database server starts; they connect once it is up.
  let databaseUp = false;
  const waiting = new Set<Worker>();
  const progress = new Map<string, WorkerMessage>();
  const roles = new Map<Worker, number>();
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({
      DAP_HTTP_WORKER: '1',
      DAP_BACKGROUND_WORK: index === 0 ? 'on' : 'off',
    });
    roles.set(worker, index);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.dap === 'database?') {
        if (databaseUp) worker.send({ dap: 'database-ready' } satisfies WorkerMessage);
        else waiting.add(worker);
        return;
      }
      if (message.dap === 'listening') return progress.forEach((known) => worker.send(known));
      for (const one of message.dap === 'batch' ? message.messages : [message])
        if (one.dap === 'progress') progress.set(positionKey(one)!, one);
      for (const other of roles.keys()) if (other !== worker && other.isConnected()) other.send(message);
    });
    worker.on('exit', (code, signal) => {
      roles.delete(worker);
      if (stopping) return;
      logger.error({ worker: index + 1, code, signal }, 'HTTP worker died: starting another');
      fork(index);
    });
  };
  // Worker 1 (migrations, consumers) starts alone and takes both cores; the others follow once it
  // listens, so the process is ready sooner and the later workers find the tables in place.
  fork(0);
  let othersForked = false;
  cluster.on('listening', (worker) => {
    if (othersForked || roles.get(worker) !== 0) return;
    othersForked = true;
    for (let i = 1; i < config.httpWorkers; i++) fork(i);
  });
  const server: EmbeddedPostgres | undefined = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(config.dataDir, { log: (line) => logger.warn(line) });
  databaseUp = true;
  for (const worker of waiting)
    if (worker.isConnected()) worker.send({ dap: 'database-ready' } satisfies WorkerMessage);
  waiting.clear();

  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      [...roles.keys()].map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            // A plain signal, not worker.kill() (that disconnects first, and a disconnected worker exits at once).
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await server?.stop();
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
