// CPU used by processes other than the bench's own while it measures. On a shared 2-core machine
// that, more than keyhold, can move the figures; reporting it says which rows to distrust.
// Linux /proc only: elsewhere the figure is undefined and simply not shown.
import { readdirSync, readFileSync } from 'node:fs';

interface Snapshot {
  readonly busy: number; // jiffies, all cores: user nice system (irq time is not charged to processes)
  readonly total: number; // busy + irq + softirq + idle + iowait + steal
  readonly ours: Map<number, number>; // pid -> utime + stime of the bench's processes
}

/** Fields after the ")" that ends the command name: [0] state, [2] pgrp, [11] utime, [12] stime. */
function procFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // exited meanwhile
  }
}

const ownGroup = Number(procFields('self')?.[2]);

function snapshot(groups: ReadonlySet<number>, pids: ReadonlySet<number> = new Set()): Snapshot | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
    const busy = user + nice + system;
    const ours = new Map<number, number>();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const f = procFields(pid);
      if (f !== undefined && (groups.has(Number(f[2])) || pids.has(Number(pid)))) ours.set(Number(pid), Number(f[11]) + Number(f[12]));
    }
    return { busy, total: busy + irq + softirq + idle + iowait + steal, ours };
  } catch {
    return undefined;
  }
}

/** Starts watching; the returned function gives the CPU time (ms, all cores) that the processes
 *  of `groups`, and the processes `pids`, used meanwhile (those alive at the end). */
export function watchGroupCpu(group: number | readonly number[], pids: readonly number[] = []): () => number | undefined {
  const groups = new Set(typeof group === 'number' ? [group] : group);
  const extra = new Set(pids);
  const a = snapshot(groups, extra);
  return () => {
    const b = snapshot(groups, extra);
    if (a === undefined || b === undefined) return undefined;
    let jiffies = 0;
    for (const [pid, t] of b.ours) jiffies += t - (a.ours.get(pid) ?? 0);
    return (jiffies * 1000) / JIFFIES_PER_SECOND;
  };
}

/** Linux's USER_HZ, what /proc/<pid>/stat counts in: 100 on every mainstream architecture. */
const JIFFIES_PER_SECOND = 100;

/** Starts watching; the returned function gives the share of all CPU time (0..1) that went to
 *  processes outside the bench's process group, the servers' groups `serverGroups` and the
 *  processes `serverPids` (a database's backends serving the servers). */
export function watchOthers(serverGroups: readonly number[], serverPids: readonly number[] = []): () => number | undefined {
  const groups = new Set([ownGroup, ...serverGroups]);
  const extra = new Set(serverPids);
  const a = snapshot(groups, extra);
  return () => {
    const b = snapshot(groups, extra);
    if (a === undefined || b === undefined || b.total <= a.total) return undefined;
    let ours = 0;
    for (const [pid, t] of b.ours) ours += t - (a.ours.get(pid) ?? 0);
    return Math.max(0, b.busy - a.busy - ours) / (b.total - a.total);
  };
}
