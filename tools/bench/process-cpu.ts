import { readdirSync, readFileSync } from 'node:fs';

/** CPU time a set of processes has used, in milliseconds: user plus kernel, and the kernel part. */
export interface CpuTime {
  ms: number;
  kernelMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Whether /proc is there to read (Linux). */
export const canReadProcesses = (): boolean => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
};

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const allPids = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** `root` and its descendants that run node (the standalone and its HTTP workers; not the server it starts). */
export function nodeTree(root: number): number[] {
  const parentOf = new Map(allPids().map((pid) => [pid, Number(statFields(pid)?.[1] ?? 0)]));
  const inTree = (pid: number): boolean =>
    pid === root || (parentOf.has(pid) && pid > 1 && inTree(parentOf.get(pid)!));
  return [...parentOf.keys()].filter((pid) => inTree(pid) && commandOf(pid) === 'node');
}

/** Every PostgreSQL server process on the machine (the embedded server's and any other's). */
export const postgresProcesses = (): number[] => allPids().filter((pid) => commandOf(pid) === 'postgres');

/** CPU used so far by each of `pids`. */
export type CpuSample = Map<number, CpuTime>;

export function sampleCpu(pids: number[]): CpuSample {
  const sample: CpuSample = new Map();
  for (const pid of pids) {
    const fields = statFields(pid);
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    if (fields) {
      const kernel = Number(fields[12]) * TICK_MS;
      sample.set(pid, { ms: Number(fields[11]) * TICK_MS + kernel, kernelMs: kernel });
    }
  }
  return sample;
}

/**
 * CPU used between two samples by the processes of the later one (one started meanwhile counts whole; one
 * that ended meanwhile is missed, which the later sample cannot tell).
 */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuTime {
  let ms = 0;
  let kernelMs = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { ms: 0, kernelMs: 0 };
    ms += now.ms - then.ms;
    kernelMs += now.kernelMs - then.kernelMs;
  }
  return { ms, kernelMs };
}

/** The whole machine's CPU time so far, every core summed: busy and idle (idle and I/O wait), in milliseconds. */
export interface MachineCpu {
  busyMs: number;
  idleMs: number;
}

export function machineCpu(): MachineCpu {
  // The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal …", in ticks.
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const idle = ticks[3] + ticks[4];
  return { busyMs: (ticks.reduce((a, b) => a + b, 0) - idle) * TICK_MS, idleMs: idle * TICK_MS };
}
