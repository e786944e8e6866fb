// Concurrency under a rate limit: read the status of 1,000 Services through the mock API's 429 rate
// limit (token bucket, Retry-After), the way the CCI API gateway throttles under load. Each candidate
// gets a fresh mock (a separate process, so a full bucket) and fires all reads at once; reported:
// successes, failures, retries seen by the server, elapsed time and its ratio to the ideal
// (services / rate). A benchmark, not a test: it asserts nothing.
//
//   npm run build && node bench/rate-limit.mjs [--services 1000] [--rate 200] [--rounds 2]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import createClient from 'openapi-fetch';
import * as k8s from '@kubernetes/client-node';
import { createCciClient } from '@cci-openapi/client';
import { exampleService } from './lib/example-service.mjs';
import { median, printTable } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '2' },
  },
});
const serviceCount = Number(values.services);
const rate = Number(values.rate);
const rounds = Number(values.rounds);
const token = 'mock-token';
const namespace = 'bench';
const names = Array.from({ length: serviceCount }, (_, i) => `svc-${String(i).padStart(4, '0')}`);

// 1,000 Services made from the spec's example, written as a fixtures file for the mock's CLI.
const scratch = mkdtempSync(join(tmpdir(), 'cci-bench-'));
const fixtures = join(scratch, 'services.json');
writeFileSync(
  fixtures,
  JSON.stringify(
    names.map((name) => {
      const service = structuredClone(exampleService());
      Object.assign(service.metadata, { name, namespace, selfLink: undefined });
      return service;
    }),
  ),
);

/** A fresh mock in its own process; resolves once it prints its URL. */
async function startMock() {
  const bin = join(root, 'packages', 'mock-server', 'dist', 'bin.js');
  const child = spawn(
    process.execPath,
    [bin, '--port', '0', '--fixtures', fixtures, '--rate-limit', String(rate), '--log'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const statuses = {};
  let stderr = '';
  child.stderr.on('data', (data) => {
    stderr += data;
    let newline;
    while ((newline = stderr.indexOf('\n')) >= 0) {
      const status = /\s(\d{3}|reset)\s/.exec(stderr.slice(0, newline))?.[1];
      if (status) statuses[status] = (statuses[status] ?? 0) + 1;
      stderr = stderr.slice(newline + 1);
    }
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`mock exited with ${code}`)));
    child.stdout.on('data', (data) => {
      out += data;
      const match = /https?:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) resolve(match[0]);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    statuses,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill();
      }),
  };
}

/** client-node authenticates with a bearer token; the CCI gateway (and the mock) reads X-Auth-Token. */
class GatewayKubeConfig extends k8s.KubeConfig {
  async applySecurityAuthentication(context) {
    await super.applySecurityAuthentication(context);
    context.setHeaderParam('X-Auth-Token', token);
  }
}

const CANDIDATES = {
  '@cci-openapi/client (concurrency 50, retries)': (url) => {
    const client = createCciClient({
      baseUrl: url,
      token,
      concurrency: 50,
      retry: { attempts: 20, maxElapsedMs: 120_000 },
    });
    return (name) => client.readServiceStatus({ namespace, name });
  },
  'openapi-fetch, all at once': (url) => {
    const client = createClient({ baseUrl: url, headers: { 'X-Auth-Token': token } });
    return async (name) => {
      const { data, error, response } = await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
        params: { path: { namespace, name } },
      });
      if (error || !data) throw new Error(`HTTP ${response.status}`);
      return data;
    };
  },
  '@kubernetes/client-node 1.4, all at once': (url) => {
    const kubeConfig = new GatewayKubeConfig();
    // client-node refuses http:// unless skipTLSVerify is set; there is no TLS here to skip.
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'mock', server: url, skipTLSVerify: true }],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'mock', cluster: 'mock', user: 'u' }],
      currentContext: 'mock',
    });
    const api = kubeConfig.makeApiClient(k8s.CoreV1Api);
    return (name) => api.readNamespacedServiceStatus({ namespace, name });
  },
};

const results = Object.fromEntries(Object.keys(CANDIDATES).map((name) => [name, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, make] of Object.entries(CANDIDATES)) {
      const mock = await startMock();
      const read = make(mock.url);
      const started = performance.now();
      const outcomes = await Promise.allSettled(names.map((service) => read(service)));
      const seconds = (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the last log lines arrive
      await mock.close();
      const ok = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      results[name].push({
        seconds,
        ok,
        failed: serviceCount - ok,
        throttled: mock.statuses['429'] ?? 0,
        requests: Object.values(mock.statuses).reduce((a, b) => a + b, 0),
      });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const ideal = serviceCount / rate;
// The mock's bucket starts full (burst = rate), so a perfect client needs (services - rate) / rate.
const idealWithBurst = Math.max(serviceCount - rate, 0) / rate;
console.log(
  `${serviceCount} Services through a ${rate} requests/s rate limit: ideal ${ideal.toFixed(1)} s (services / rate), ${idealWithBurst.toFixed(1)} s counting the initial burst; ${rounds} interleaved rounds, medians.\n`,
);
printTable(
  ['candidate', 'succeeded', 'failed', 'requests sent', '429s', 'elapsed', 'elapsed / ideal'],
  Object.entries(results).map(([name, runs]) => {
    const m = (key) => median(runs.map((run) => run[key]));
    return [
      name,
      m('ok'),
      m('failed'),
      m('requests'),
      m('throttled'),
      `${m('seconds').toFixed(2)} s`,
      `${(m('seconds') / ideal).toFixed(2)}×`,
    ];
  }),
);
