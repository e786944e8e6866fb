import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // The soak test measures heap growth after forced garbage collections.
      execArgv: ['--expose-gc'],
    },
  }),
);
