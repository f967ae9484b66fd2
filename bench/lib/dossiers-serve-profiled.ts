/**
 * serve-app.ts under the V8 sampling profiler (what `node --cpu-prof` does, which
 * NODE_OPTIONS does not allow and startChild cannot pass): profiles the whole life of
 * the server and writes `<BENCH_CPU_PROFILE_DIR>/xaso-<pid>.cpuprofile` when it exits.
 * Open the file in Chrome DevTools, or cut it per target with dossiers-profile.ts.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (!dir) throw new Error('BENCH_CPU_PROFILE_DIR is not set');
const session = new Session();
session.connect();
// Same-thread inspector calls answer synchronously, so this also works in an exit handler.
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.once('exit', () => {
  session.post('Profiler.stop', (err, r) => {
    if (!err) writeFileSync(join(dir, `xaso-${process.pid}.cpuprofile`), JSON.stringify(r.profile));
  });
});
await import('./serve-app.js');
