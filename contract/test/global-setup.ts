// One real kube-apiserver for the whole run. Without a built server the suite is skipped outside CI
// (one line says how to build it) and fails in CI, where .ci/run builds it first.
import type { TestProject } from 'vitest/node';
import { readFileSync } from 'node:fs';
import { BUILD_HINT, isBuilt, startRealServer, stopRealServer, type RealServerInfo } from '../src/real-server.js';
import { mockFixtureServices, seedRealServer } from '../src/seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    realServer: RealServerInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!(await isBuilt())) {
    if (process.env.CI) throw new Error(`contract: no kube-apiserver is built; CI must build it first: ${BUILD_HINT}`);
    console.log(`contract: skipped, no real kube-apiserver is built here; build it with: ${BUILD_HINT}`);
    project.provide('realServer', null);
    return undefined;
  }
  const server = await startRealServer();
  try {
    // Every test file reads the same Services: the mock's fixtures, created once, never changed.
    const started = performance.now();
    await seedRealServer({ url: server.url, ca: readFileSync(server.servingCa) }, server.adminToken, mockFixtureServices());
    console.log(
      `contract: kube-apiserver ${server.version} at ${server.url}, ready ${server.readyMs} ms after start, seeded in ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    await stopRealServer(server);
    throw error;
  }
  project.provide('realServer', server);
  return () => stopRealServer(server);
}
