// Prints the one totals line CI counts, from Vitest's JSON report.
// A run that failed before any test (lint, type-check, install) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`0 passed, ${status === '0' ? 0 : 1} failed`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const extra = failed === 0 && status !== '0' ? 1 : 0;
console.log(`${passed} passed, ${failed + extra} failed, ${skipped} skipped`);

// The slowest tests, so a creeping one is seen before it times out.
const durations = (report.testResults ?? []).flatMap((file) =>
  (file.assertionResults ?? []).map((t) => ({ ms: t.duration ?? 0, name: `${file.name.replace(process.cwd() + '/', '')} > ${t.fullName ?? t.title}` })),
);
durations.sort((a, b) => b.ms - a.ms);
console.log('Slowest tests:');
for (const t of durations.slice(0, 15)) console.log(`${String(Math.round(t.ms)).padStart(8)} ms  ${t.name}`);
