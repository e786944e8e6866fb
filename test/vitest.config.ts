import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['*.test.ts'],
      // One test tree for all assertions: Redocly (bundle, lint, docs, diff), tsc and the review kit run
      // in beforeAll on a 2-core machine shared with other work.
      testTimeout: 60_000,
      hookTimeout: 600_000,
    },
  }),
);
