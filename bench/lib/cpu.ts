import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * How much of the machine's CPU went to *other* processes while a target was measured:
 * busy time of all cores (os.cpus) minus the CPU time of this process and of the benchmark's
 * servers (/proc/<pid>/stat, Linux). On a shared machine this tells a clean run from a noisy one.
 */
export interface CpuSnapshot {
  at: number;
  machineBusyMs: number;
  ownMs: number | null;
}

function machineBusyMs(): number {
  let busy = 0;
  for (const c of os.cpus()) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return busy;
}

/** utime + stime of a process in ms, or null where /proc is not available. */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function snapshot(serverPids: number[]): CpuSnapshot {
  const self = process.cpuUsage();
  let own: number | null = (self.user + self.system) / 1000;
  for (const pid of serverPids) {
    const ms = procCpuMs(pid);
    own = ms === null || own === null ? null : own + ms;
  }
  return { at: performance.now(), machineBusyMs: machineBusyMs(), ownMs: own };
}

export interface CpuShare {
  /** Share of the whole machine (all cores × wall time) used by the benchmark itself, %. */
  benchPct: number | null;
  /** Share of the whole machine used by other processes, %. */
  otherPct: number | null;
  loadAvg1: number;
}

export function share(before: CpuSnapshot, after: CpuSnapshot): CpuShare {
  const capacity = (after.at - before.at) * os.cpus().length;
  const busy = after.machineBusyMs - before.machineBusyMs;
  const own = before.ownMs === null || after.ownMs === null ? null : after.ownMs - before.ownMs;
  const pct = (n: number) => Math.round((Math.max(0, n) / capacity) * 1000) / 10;
  return {
    benchPct: own === null ? null : pct(own),
    otherPct: own === null ? null : pct(busy - own),
    loadAvg1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
