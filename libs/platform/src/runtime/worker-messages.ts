/** What the standalone's HTTP workers tell each other through the primary process. */
export type WorkerMessage =
  /** A worker is listening: the primary answers with every progress it knows. */
  | { dap: 'listening' }
  /** A worker asks to be told once the embedded database server is up; the primary answers `database-ready`. */
  | { dap: 'database?' }
  | { dap: 'database-ready' }
  | { dap: 'appended'; key: string; position: number }
  | { dap: 'progress'; consumer: string; source: string; position: number }
  /** A read in a worker without consumers waits for these: the consumers stop gathering appends. */
  | { dap: 'wanted'; consumers: string[]; source: string }
  /** Appends and progress of one turn of a worker's event loop, the newest position of each only. */
  | { dap: 'batch'; messages: WorkerMessage[] };

export const isWorkerMessage = (m: unknown): m is WorkerMessage =>
  typeof m === 'object' &&
  m !== null &&
  ['listening', 'database?', 'database-ready', 'appended', 'progress', 'wanted', 'batch'].includes(
    (m as WorkerMessage).dap,
  );

/** Where a message's position belongs: a later message with the same key supersedes it. */
export const positionKey = (m: WorkerMessage): string | undefined =>
  m.dap === 'appended'
    ? `a\u0000${m.key}`
    : m.dap === 'progress'
      ? `p\u0000${m.consumer}\u0000${m.source}`
      : undefined;
