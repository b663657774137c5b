/** What the standalone's HTTP workers tell each other through the primary process. */
export type WorkerMessage =
  | { dap: 'appended'; key: string; position: number }
  | { dap: 'progress'; consumer: string; source: string; position: number };

export const isWorkerMessage = (m: unknown): m is WorkerMessage =>
  typeof m === 'object' &&
  m !== null &&
  ((m as WorkerMessage).dap === 'appended' || (m as WorkerMessage).dap === 'progress');
