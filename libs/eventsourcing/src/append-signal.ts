import { EventEmitter } from 'node:events';

/** In-process wake-up for readers of a store after an append commits (no polling delay in one process). */
export class AppendSignal {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  emit(position: number): void {
    this.emitter.emit('appended', position);
  }
  on(listener: (position: number) => void): () => void {
    this.emitter.on('appended', listener);
    return () => this.emitter.off('appended', listener);
  }
}

const signals = new Map<string, AppendSignal>();
/** One signal per store name and process, shared by the writer and every reader of that store. */
export const appendSignalFor = (key: string): AppendSignal => {
  let signal = signals.get(key);
  if (!signal) signals.set(key, (signal = new AppendSignal()));
  return signal;
};
