import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { READY_PREFIX, type ReadyInfo } from './ready.js';

export interface Child {
  name: string;
  port: number;
  info: ReadyInfo;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

/** Make sure no benchmark server outlives the benchmark, even on Ctrl-C or a crash. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** The tsx loader, resolved from this project so the child does not depend on the PATH. */
function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/**
 * Runs a TypeScript entry (via the tsx loader) as a child process and waits for its
 * `BENCH_READY {...}` line. Rejects if the child exits or stays silent past `timeoutMs`.
 */
export async function startChild(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Child> {
  hookExit();
  const proc = spawn(process.execPath, ['--import', tsxImport(), entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => live.delete(proc));

  // Keep the tail of stderr for error messages; never let a full pipe block the child.
  let stderrTail = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name}: not ready after ${timeoutMs} ms\n${stderrTail}`));
    }, timeoutMs);
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyInfo);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited before ready (code ${code}, signal ${signal})\n${stderrTail}`));
    });
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  return {
    name,
    port: info.port,
    info,
    pid: proc.pid!,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
