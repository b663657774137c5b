import { EventEmitter } from 'node:events';

type Relay = (key: string, position: number) => void;
let relay: Relay | undefined;

/** In-process wake-up for readers of a store after an append commits (no polling delay in one process). */
export class AppendSignal {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  constructor(private readonly key?: string) {}
  emit(position: number): void {
    this.emitter.emit('appended', position);
    if (this.key !== undefined) relay?.(this.key, position);
  }
  /** An append another process of the same product made (relayed to it, not relayed again). */
  emitRelayed(position: number): void {
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
  if (!signal) signals.set(key, (signal = new AppendSignal(key)));
  return signal;
};

/** Passes every local append to `to` as well (the HTTP workers of one standalone process wake each other). */
export function relayAppendSignals(to: Relay | undefined): void {
  relay = to;
}
