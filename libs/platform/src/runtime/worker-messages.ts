/** What the standalone's HTTP workers tell each other through the primary process. */
export type WorkerMessage =
  /** A worker is listening: the primary answers with every progress it knows. */
  | { dap: 'listening' }
  | { dap: 'appended'; key: string; position: number }
  | { dap: 'progress'; consumer: string; source: string; position: number };

export const isWorkerMessage = (m: unknown): m is WorkerMessage =>
  typeof m === 'object' &&
  m !== null &&
  ['listening', 'appended', 'progress'].includes((m as WorkerMessage).dap);
