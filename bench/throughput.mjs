// Throughput per request: readServiceStatus vs plain fetch vs openapi-fetch used directly vs
// @kubernetes/client-node 1.4 (CoreV1Api.readNamespacedServiceStatus), all reading the spec's
// example Service from one local HTTP server running in a separate process. Interleaved rounds;
// medians of req/s, of the per-round ratio to plain fetch, and of this process's CPU µs/request.
//
//   npm run build && node bench/throughput.mjs [--rounds 15] [--requests 2000] [--concurrency 8]
//
// A benchmark, not a test: it asserts nothing. Absolute figures vary by machine; compare ratios.
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { exampleService } from './lib/example-service.mjs';
import { interleave } from './lib/interleave.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { median, printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

if (!existsSync(new URL('../packages/client/dist/index.js', import.meta.url))) {
  console.error('packages/client/dist is missing: run `npm run build` (or `npx tsup` in packages/client) first.');
  process.exit(1);
}
const { createCceClient } = await import('@cce-openapi/client');
const { default: createClient } = await import('openapi-fetch');
const k8s = await import('@kubernetes/client-node');

const service = exampleService();
const namespace = service.metadata.namespace;
const name = service.metadata.name;
const token = 'bench-token';
const server = await startServerProcess(service);
const PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';
const url = `${server.url}/api/v1/namespaces/${namespace}/services/${name}/status`;

const openapiFetch = createClient({ baseUrl: server.url, headers: { 'X-Auth-Token': token } });
const cce = createCceClient({ baseUrl: server.url, token });
const kubeConfig = new k8s.KubeConfig();
// client-node 1.4 refuses an http:// server unless skipTLSVerify is set; over plain HTTP there is
// no TLS to verify, so the flag changes nothing else here.
kubeConfig.loadFromOptions({
  clusters: [{ name: 'bench', server: server.url, skipTLSVerify: true }],
  users: [{ name: 'bench', token }],
  contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
  currentContext: 'bench',
});
const coreV1 = kubeConfig.makeApiClient(k8s.CoreV1Api);

const candidates = {
  'plain fetch': async () => {
    const response = await fetch(url, { headers: { 'X-Auth-Token': token } });
    return response.json();
  },
  'openapi-fetch (direct)': async () => {
    const { data } = await openapiFetch.GET(PATH, { params: { path: { namespace, name } } });
    return data;
  },
  'readServiceStatus': () => cce.readServiceStatus({ namespace, name }),
  '@kubernetes/client-node 1.4': () => coreV1.readNamespacedServiceStatus({ namespace, name }),
};

// Every candidate must return the same Service before anything is timed.
for (const [label, call] of Object.entries(candidates)) {
  const result = await call();
  if (result?.metadata?.uid !== service.metadata.uid) throw new Error(`${label} did not return the example Service`);
}

console.log(
  `Throughput: ${rounds} interleaved rounds × ${requests} requests, ${concurrency} in flight; ` +
    `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${availableParallelism()}; server in a separate process.`,
);
const results = await interleave(candidates, {
  rounds,
  requests,
  concurrency,
  onRound: (round, total) => process.stderr.write(`\rround ${round}/${total}`),
});
process.stderr.write('\n');

const baseline = results['plain fetch'];
const rows = Object.entries(results).map(([label, perRound]) => [
  label,
  Math.round(median(perRound.map((r) => r.rps))),
  Number(median(perRound.map((r, i) => r.rps / baseline[i].rps)).toFixed(3)),
  Number(median(perRound.map((r) => r.cpuMicros)).toFixed(1)),
]);
printTable(['candidate', 'median req/s', 'ratio to plain fetch', 'client CPU µs/req'], rows);
console.log('ratio = median over rounds of (candidate req/s ÷ plain fetch req/s in the same round).');

await server.close();
