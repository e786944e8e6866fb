import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Type tests (*.test-d.ts) are checked by tsc in vitest's typecheck mode.
      typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
