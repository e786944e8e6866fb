import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 30_000,
      // beforeAll bundles the spec with Redocly (two runs): on a busy machine that outlasts vitest's
      // 10 s default for hooks, which would skip every test instead of failing one.
      hookTimeout: 120_000,
    },
  }),
);
