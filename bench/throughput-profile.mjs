// Where the time of one throughput candidate goes: runs it in a loop against the local server with
// V8's CPU profiler on, then prints the functions with the most self time, grouped by module.
// This is how the cost of openapi-fetch's per-call Request (and of an AbortSignal per request in
// Node's fetch) was found; see packages/client/README.md, "Performance".
//
//   node bench/throughput-profile.mjs [--candidate openapi-fetch|plain|node:http|readCoreV1NamespacedServiceStatus|client.GET|middleware|plain+signal] [--requests 20000]
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { exampleService } from './lib/example-service.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { plainNodeHttp } from './lib/plain-node-http.mjs';
import { printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    candidate: { type: 'string', default: 'openapi-fetch' },
    requests: { type: 'string', default: '20000' },
    top: { type: 'string', default: '20' },
  },
});
const service = exampleService();
const { namespace, name } = service.metadata;
const server = await startServerProcess(service);
const url = `${server.url}/api/v1/namespaces/${namespace}/services/${name}/status`;
const headers = { 'X-Auth-Token': 'profile-token' };

const { default: createClient } = await import('openapi-fetch');
const { createCciClient } = await import('@cci-openapi/client');
const openapiFetch = createClient({ baseUrl: server.url, headers });
const cci = createCciClient({ baseUrl: server.url, token: headers['X-Auth-Token'] });
const withMiddleware = createCciClient({ baseUrl: server.url, token: headers['X-Auth-Token'] });
withMiddleware.use({ onRequest: ({ request }) => void request.headers.set('x-traced', '1') });
const nodeHttp = plainNodeHttp(url, headers);
const CANDIDATES = {
  // The reference of bench/throughput.mjs: what the client's node:http wire cannot go below.
  'node:http': nodeHttp.get,
  plain: async () => (await fetch(url, { headers })).json(),
  'plain+signal': async () => (await fetch(url, { headers, signal: new AbortController().signal })).json(),
  'openapi-fetch': () =>
    openapiFetch.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace, name } },
    }),
  readCoreV1NamespacedServiceStatus: () => cci.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'client.GET': () =>
    cci.GET('/api/v1/namespaces/{namespace}/services/{name}/status', { params: { path: { namespace, name } } }),
  // The generated operation while a middleware is registered (a Request is built per call then).
  middleware: () => withMiddleware.readCoreV1NamespacedServiceStatus({ namespace, name }),
};
const call = CANDIDATES[values.candidate];
if (!call) throw new Error(`--candidate must be one of ${Object.keys(CANDIDATES).join(', ')}`);

for (let i = 0; i < 2000; i++) await call(); // warm up the JIT and the connection pool
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
const requests = Number(values.requests);
await Promise.all(
  Array.from({ length: 8 }, async (_, lane) => {
    for (let i = lane; i < requests; i += 8) await call();
  }),
);
const elapsed = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
nodeHttp.close();
await Promise.all([cci.close(), withMiddleware.close()]);
await server.close();

// Self time per function, from the sample counts and time deltas.
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map();
profile.samples.forEach((id, i) => {
  const { functionName, url: file, lineNumber } = nodes.get(id).callFrame;
  const where = file
    ? `${file.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(packages|bench)\//, '$1/')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  selfTime.set(key, (selfTime.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
console.log(
  `${values.candidate}: ${requests} requests in ${elapsed.toFixed(0)} ms (${((elapsed * 1000) / requests).toFixed(1)} µs wall per request, 8 in flight)`,
);
printTable(
  ['self time %', 'function'],
  [...selfTime]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))
    .map(([key, time]) => [Number(((100 * time) / total).toFixed(1)), key]),
);
