/**
 * Load runs whose requests change from one to the next (a new body, key or header
 * per request), which `measure` in load.ts (one fixed URL and headers) cannot do,
 * and the memory sampler for the server under load. Results have load.ts's
 * `LoadResult` shape, so they go through report.ts's table like any other target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type autocannon from 'autocannon';
import { runLoad, type LoadResult, type LoadSettings } from './load.js';

export interface DynamicRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** One autocannon run on `origin`, each request made by `next()`; response bodies go to `onBody` when given. */
function run(origin: string, label: string, next: () => DynamicRequest, s: LoadSettings, seconds: number, onBody?: (status: number, body: string) => void): Promise<LoadResult> {
  return runLoad(
    {
      url: origin,
      connections: s.connections,
      pipelining: s.pipelining,
      duration: seconds,
      timeout: s.timeout,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            const r = next();
            return { ...req, method: r.method, path: r.path, headers: { ...req.headers, ...r.headers }, ...(r.body ? { body: r.body } : {}) } as autocannon.Request;
          },
          ...(onBody ? { onResponse: (status: number, body: string) => onBody(status, body) } : {}),
        },
      ],
    },
    `${origin}${label}`,
  );
}

/** Warm-up (discarded), then the measured run; `onMeasure` is called right before it (like `measure` in load.ts). */
export async function measureDynamic(
  origin: string,
  /** What the requests look like, for the record (e.g. `/api/v1/dossiers (multipart, 200 kB)`). */
  label: string,
  next: () => DynamicRequest,
  s: LoadSettings,
  opts: { onMeasure?: () => void; onBody?: (status: number, body: string) => void } = {},
): Promise<LoadResult> {
  if (s.warmup > 0) await run(origin, label, next, s, s.warmup, opts.onBody);
  opts.onMeasure?.();
  return run(origin, label, next, s, s.duration, opts.onBody);
}

/** VmRSS of a process in MiB (Linux), or null when it cannot be read. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

export interface RssPhase {
  phase: string;
  samples: number;
  startMiB: number | null;
  maxMiB: number | null;
  endMiB: number | null;
}

/**
 * Samples a server's RSS every `everyMs` while it is running, per named phase
 * (`phase(name)` starts a new one), so the report shows what each load did to memory.
 */
export class RssSampler {
  readonly phases: RssPhase[] = [];
  #timer: NodeJS.Timeout | null = null;
  #current: RssPhase | null = null;

  constructor(
    private pid: number,
    private readonly everyMs = 200,
  ) {}

  /** The server was restarted: sample the new process from now on. */
  follow(pid: number): void {
    this.pid = pid;
  }

  phase(name: string): void {
    this.#sample();
    this.#current = { phase: name, samples: 0, startMiB: null, maxMiB: null, endMiB: null };
    this.phases.push(this.#current);
    this.#sample();
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#sample(), this.everyMs);
      this.#timer.unref();
    }
  }

  /** Closes the current phase (before its process stops: a later sample would come from the next one). */
  end(): void {
    this.#sample();
    this.#current = null;
  }

  stop(): void {
    this.#sample();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#current = null;
  }

  get maxMiB(): number | null {
    const all = this.phases.map((p) => p.maxMiB).filter((x): x is number => x !== null);
    return all.length ? Math.max(...all) : null;
  }

  #sample(): void {
    const p = this.#current;
    if (!p) return;
    const mib = rssMiB(this.pid);
    if (mib === null) return;
    p.samples++;
    p.startMiB ??= mib;
    p.maxMiB = Math.max(p.maxMiB ?? 0, mib);
    p.endMiB = mib;
  }
}

/** utime + stime of a process in ms (Linux /proc), or null; with `tid`, of that one thread (the main thread: tid = pid). */
export function procCpuMs(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** CPU time of every process named `comm` (e.g. every PostgreSQL backend), by pid. */
export function cpuByComm(comm: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue;
    }
    const ms = procCpuMs(Number(entry));
    if (ms !== null) out.set(Number(entry), ms);
  }
  return out;
}
