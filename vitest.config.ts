import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A fresh PGlite start takes seconds: the default 5 s is too short.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['src/testing/global-setup.ts'],
    // The audit key (src/platform/audit.ts) every test process writes and checks the chain with.
    setupFiles: ['src/testing/setup.ts'],
    // CI reads the JSON report for its totals line (scripts/test-totals.mjs).
    reporters: process.env.CI === 'true' ? ['default', 'json'] : ['default'],
    outputFile: { json: '.tmp/vitest-report.json' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], exclude: ['src/**/*.system.test.ts'] },
      },
      {
        // Whole-system tests (a real server killed mid-write, the full catalog): slow by nature, each states its timeout.
        extends: true,
        test: { name: 'system', include: ['src/**/*.system.test.ts'], fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
