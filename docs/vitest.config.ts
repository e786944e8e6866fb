import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Real Chromium, real git repositories and real redocly runs: generous on a loaded 2-core machine.
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
