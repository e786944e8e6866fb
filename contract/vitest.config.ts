import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real kube-apiserver (+ etcd) for the whole run, started before the first file.
    globalSetup: ['test/global-setup.ts'],
    // A real API server and real subprocesses on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
