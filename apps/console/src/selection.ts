import { useSyncExternalStore } from 'react';

/** The client selected in the list: the left pane's features work in its context. */
export interface Selected {
  clientId: string;
  name: string;
}

const KEY = 'dap.selectedClient';
const listeners = new Set<() => void>();
let selected: Selected | null = (() => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Selected | null;
  } catch {
    return null;
  }
})();

export function select(next: Selected | null): void {
  if (next?.clientId === selected?.clientId && next?.name === selected?.name) return;
  selected = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
  listeners.forEach((l) => l());
}

export const useSelected = () =>
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => selected,
  );
