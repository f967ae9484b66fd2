/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of a benchmark server and sums the
 * samples taken within a time window (one measured target) by function and by
 * module, so the report can say where a missed target's time went.
 *
 * The window is in microseconds of the monotonic clock (`process.hrtime`), which
 * is the clock V8 stamps its samples with on Linux, so the benchmark process can
 * mark a window and the server's profile can be cut to it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Samples in the window, and the milliseconds they stand for. */
  samples: number;
  ms: number;
  /** Share of the window the process spent idle (waiting for I/O), %. */
  idlePct: number;
  /** Self time by function, most first: "name (file:line)" → % of the busy samples. */
  functions: { name: string; pct: number }[];
  /** Self time by module: a package in node_modules, a file of the app, node internals, GC… */
  modules: { name: string; pct: number }[];
  /** Inclusive time of the app's own functions (anything under src/), most first. */
  appInclusive: { name: string; pct: number }[];
}

/** Microseconds on the monotonic clock, as V8 stamps profile samples. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).replace(/^file:\/\//, '');
  return url.replace(/^file:\/\//, '');
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url ? f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
}

const top = (m: Map<string, number>, total: number, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, k]) => ({ name, pct: Math.round((k / Math.max(1, total)) * 1000) / 10 }));

/** Summarises the samples of `file` between `fromUs` and `toUs` (monotonic µs). */
export function summarise(file: string, fromUs: number, toUs: number, n = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let t = p.startTime;
  let samples = 0;
  let idle = 0;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    samples++;
    const node = byId.get(p.samples[i]!)!;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') {
      idle++;
      continue;
    }
    busy++;
    const name = label(node);
    self.set(name, (self.get(name) ?? 0) + 1);
    const mod = moduleOf(node.callFrame.url, fn);
    modules.set(mod, (modules.get(mod) ?? 0) + 1);
    // Inclusive time of app functions: each distinct src/ frame on the stack once.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      if (!frame.callFrame.url.includes('/src/')) continue;
      const l = label(frame);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
    }
  }
  const windowMs = (toUs - fromUs) / 1000;
  return {
    samples,
    ms: Math.round(windowMs),
    idlePct: Math.round((idle / Math.max(1, samples)) * 1000) / 10,
    functions: top(self, busy, n),
    modules: top(modules, busy, n),
    appInclusive: top(inclusive, busy, n),
  };
}
