// One real kube-apiserver for the whole run. Without a built server the suite is skipped outside CI
// (one line says how to build it) and fails in CI, where .ci/run builds it first.
import type { TestProject } from 'vitest/node';
import { readFileSync } from 'node:fs';
import { BUILD_HINT, isBuilt, startRealServer, stopRealServer, type RealServerInfo } from '../src/real-server.js';
import { mockFixtureServices, seedRealServer } from '../src/seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    realServer: RealServerInfo | null;
    /**
     * A second server for the files that write in namespaces of their own (patch-engines,
     * client-writes): without a namespace controller their Services would outlive them and show
     * in the read suite's all-namespace lists, so they never write to `realServer`.
     */
    writeServer: RealServerInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!(await isBuilt())) {
    if (process.env.CI) throw new Error(`contract: no kube-apiserver is built; CI must build it first: ${BUILD_HINT}`);
    console.log(`contract: skipped, no real kube-apiserver is built here; build it with: ${BUILD_HINT}`);
    project.provide('realServer', null);
    project.provide('writeServer', null);
    return undefined;
  }
  const [server, writeServer] = (await startServers(2)) as [RealServerInfo, RealServerInfo];
  try {
    // Every test file reads the same Services: the mock's fixtures, created once, never changed.
    const started = performance.now();
    await seedRealServer(
      { url: server.url, ca: readFileSync(server.servingCa) },
      server.adminToken,
      mockFixtureServices(),
    );
    console.log(
      `contract: kube-apiserver ${server.version} at ${server.url}, ready ${server.readyMs} ms after start, seeded in ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    await Promise.all([stopRealServer(server), stopRealServer(writeServer)]);
    throw error;
  }
  project.provide('realServer', server);
  project.provide('writeServer', writeServer);
  return async () => {
    await Promise.all([stopRealServer(server), stopRealServer(writeServer)]);
  };
}

/** `count` servers started together; if one fails, the others are stopped before the error is thrown. */
async function startServers(count: number): Promise<RealServerInfo[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startRealServer()));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(servers.map((server) => stopRealServer(server)));
    throw failure.reason;
  }
  return servers;
}
