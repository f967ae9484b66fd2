import autocannon from 'autocannon';

/** A numeric command-line option (`--name value`), or `fallback` when absent. */
export function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

export interface LoadSettings {
  /** Measured seconds per target. */
  duration: number;
  /** Seconds of the same load first, discarded. */
  warmup: number;
  connections: number;
  pipelining: number;
  /** Per-request timeout, seconds. */
  timeout: number;
}

export interface LoadResult {
  url: string;
  seconds: number;
  requests: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  bytesPerSecond: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * One autocannon run with `options`; latencies are kept per response, with
 * sub-millisecond precision. `url` is what the result is recorded under.
 */
export function runLoad(options: autocannon.Options, url: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const codes: Record<string, number> = {};
    const instance = autocannon(options, (err, result) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      const sorted = latencies.subarray(0, count).sort();
      let sum = 0;
      for (const v of sorted) sum += v;
      const non2xx = Object.entries(codes).reduce((n, [code, k]) => (code.startsWith('2') ? n : n + k), 0);
      resolve({
        url,
        seconds: result.duration,
        requests: count,
        rps: round(count / result.duration, 1),
        latencyMs: {
          mean: round(sum / Math.max(1, count)),
          p50: round(percentile(sorted, 50)),
          p95: round(percentile(sorted, 95)),
          p99: round(percentile(sorted, 99)),
          max: round(sorted[count - 1] ?? NaN),
        },
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx,
        statusCodes: codes,
        bytesPerSecond: Math.round(result.throughput.total / result.duration),
      });
    });
    // The instance re-emits each client's response with the client first (the bundled types omit it).
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = ms;
      codes[status] = (codes[status] ?? 0) + 1;
    });
  });
}

function run(url: string, headers: Record<string, string>, s: LoadSettings, seconds: number): Promise<LoadResult> {
  return runLoad({ url, headers, connections: s.connections, pipelining: s.pipelining, duration: seconds, timeout: s.timeout }, url);
}

/** Warm-up (discarded), then the measured run; `onMeasure` is called right before it. */
export async function measure(url: string, headers: Record<string, string>, s: LoadSettings, onMeasure?: () => void): Promise<LoadResult> {
  if (s.warmup > 0) await run(url, headers, s, s.warmup);
  onMeasure?.();
  return run(url, headers, s, s.duration);
}
