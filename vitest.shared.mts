// The one vitest configuration every workspace starts from: each package's vitest.config.ts merges
// only what differs (timeouts for real servers and subprocesses, a global setup, type tests).
//
// Slow tests are files named *.slow.test.ts (the CLI soak, the consumer type-check): they run in
// CI (CI set, as .ci/run and the workflow do) and whenever CCI_SLOW_TESTS=1, not in a local
// `npm test`, which stays quick. `npm run test:all` runs them locally too.
import { configDefaults, defineConfig } from 'vitest/config';

const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
export const runSlowTests = ci || process.env.CCI_SLOW_TESTS === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(runSlowTests ? [] : ['**/*.slow.test.ts'])],
    // Real HTTP servers on 127.0.0.1 and real subprocesses on a 2-core machine shared with other work.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
