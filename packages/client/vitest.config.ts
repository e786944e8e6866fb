import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.mjs';

// The client carries its requests over node:http on Node and over fetch elsewhere (src/wire/fetch-wire.ts,
// src/wire/node-wire.ts). The suite runs on Node, so the files whose behaviour depends on the wire run a
// second time with the fetch wire (CCI_TEST_WIRE=fetch makes test/helpers/client.ts pass a fetch).
const WIRE_SENSITIVE = [
  'relist-storm',
  'hostile-server',
  'aksk-wire',
  'iam-token',
  'gateway-error',
  'bad-responses',
  'client-get-outcomes',
  'informer',
  'list',
  'generic-list-operation',
  'context',
  'middleware',
  'operations',
  'openapi-fetch',
  'retry',
  'secrets',
  'timeout-abort',
  'transport-hardening',
  'wait-for-ingress',
  'wait-for-ingress-watch',
  'watch-pipeline',
].map((name) => `test/${name}.test.ts`);

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 30_000,
      hookTimeout: 30_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'node-wire',
            // Type tests (*.test-d.ts) are checked by tsc in vitest's typecheck mode.
            typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          },
        },
        // Not `extends: true`: merging would add the shared include (every file) to this list.
        {
          test: {
            name: 'fetch-wire',
            include: WIRE_SENSITIVE,
            env: { CCI_TEST_WIRE: 'fetch' },
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
      ],
    },
  }),
);
