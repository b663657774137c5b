/** What the standalone's HTTP workers tell each other through the primary process. */
export type WorkerMessage =
  /** A worker is listening: the primary answers with every progress it knows. */
  | { dap: 'listening' }
  /** A worker asks to be told once the embedded database server is up; the primary answers `database-ready`. */
  | { dap: 'database?' }
  | { dap: 'database-ready' }
  | { dap: 'appended'; key: string; position: number }
  | { dap: 'progress'; consumer: string; source: string; position: number };

export const isWorkerMessage = (m: unknown): m is WorkerMessage =>
  typeof m === 'object' &&
  m !== null &&
  ['listening', 'database?', 'database-ready', 'appended', 'progress'].includes((m as WorkerMessage).dap);
