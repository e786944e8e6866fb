import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.mjs';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // One real kube-apiserver (+ etcd) for the whole run, started before the first file.
      globalSetup: ['test/global-setup.ts'],
      // A real API server and real subprocesses on a loaded 2-core machine.
      testTimeout: 60_000,
      hookTimeout: 180_000,
    },
  }),
);
