/**
 * How many cases a property or fuzz test runs: the full count in CI
 * (`CI=true`), a fifth of it locally (at least 20), or exactly
 * `XASO_FUZZ_RUNS` when set (to chase a failure, or to soak).
 */
export function fuzzRuns(full: number): number {
  const forced = Number(process.env.XASO_FUZZ_RUNS);
  if (Number.isInteger(forced) && forced > 0) return forced;
  if (process.env.CI === 'true') return full;
  return Math.max(20, Math.round(full / 5));
}
