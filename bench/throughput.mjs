// Throughput per request: the generated readCoreV1NamespacedServiceStatus against plain node:http
// (a keep-alive agent, the body collected and parsed: the floor under the client's Node wire), with
// client.GET (openapi-fetch's API through the client's pipeline) against openapi-fetch used
// directly, plain fetch, the same generated call over fetch (the wire of browsers, or of a client
// given a fetch) and @kubernetes/client-node 1.4 (CoreV1Api.readNamespacedServiceStatus) for
// comparison. All read the spec's example Service from one local HTTP server running in a separate
// process. For each number of requests in flight: interleaved rounds; medians of req/s, of the
// per-round ratio to plain node:http, of this process's CPU µs/request, and of the per-round CPU
// difference to plain node:http.
//
//   npx turbo run build --filter=@cci-openapi/client... && node bench/throughput.mjs [--rounds 30] [--requests 1000] [--concurrency 1,8] [--only <candidate>,…]
//
// Many short rounds rather than a few long ones: on a shared machine the load changes slowly, so
// the candidates of one short round see nearly the same load, and the per-round comparison holds.
//
// A benchmark, not a test: it asserts nothing. Absolute figures vary by machine; compare ratios.
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { exampleService } from './lib/example-service.mjs';
import { interleave } from './lib/interleave.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { plainNodeHttp } from './lib/plain-node-http.mjs';
import { sentHeaders } from './lib/sent-headers.mjs';
import { median, medianInterval, printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1,8' },
    only: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const concurrencies = values.concurrency.split(',').map(Number);
/** The reference of the table: every ratio and CPU Δ is against it, round by round. */
const REFERENCE = 'plain node:http';
/**
 * The same request with the host and path in one options object instead of the URL string: the
 * lower floor, as node:http then neither parses the URL nor copies its fields (the client's wire
 * does this; src/wire/request-target.ts). The goal is checked against both floors.
 */
const OPTIONS_FLOOR = 'plain node:http (options object)';
/** The goals (issue 19): the generated call near plain node:http; client.GET at least openapi-fetch used directly. */
const GOAL = { candidate: 'readCoreV1NamespacedServiceStatus', minRatio: 0.9, maxExtraCpuMicros: 15 };
const GET_GOAL = { candidate: 'client.GET (pipeline)', against: 'openapi-fetch (direct)', minRatio: 1 };

if (!existsSync(new URL('../packages/client/dist/index.js', import.meta.url))) {
  console.error('packages/client/dist is missing: run `npm run build` (or `npx tsup` in packages/client) first.');
  process.exit(1);
}
const { createCciClient } = await import('@cci-openapi/client');
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
const cci = createCciClient({ baseUrl: server.url, token });
const cciOverFetch = createCciClient({ baseUrl: server.url, token, fetch: globalThis.fetch });
// The reference sends what the generated call sends (Accept, Accept-Encoding, the token): the same request.
const clientHeaders = await sentHeaders(async (baseUrl) => {
  const probe = createCciClient({ baseUrl, token });
  try {
    await probe.readCoreV1NamespacedServiceStatus({ namespace, name });
  } finally {
    await probe.close();
  }
});
const plain = plainNodeHttp(url, clientHeaders);
const plainWithOptions = plainNodeHttp(url, clientHeaders, 'options');
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
  [REFERENCE]: plain.get,
  [OPTIONS_FLOOR]: plainWithOptions.get,
  'plain fetch': async () => {
    const response = await fetch(url, { headers: { 'X-Auth-Token': token } });
    return response.json();
  },
  'openapi-fetch (direct)': async () => {
    const { data } = await openapiFetch.GET(PATH, { params: { path: { namespace, name } } });
    return data;
  },
  readCoreV1NamespacedServiceStatus: () => cci.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'readCoreV1NamespacedServiceStatus over fetch': () =>
    cciOverFetch.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'client.GET (pipeline)': async () => {
    const { data } = await cci.GET(PATH, { params: { path: { namespace, name } } });
    return data;
  },
  '@kubernetes/client-node 1.4': () => coreV1.readNamespacedServiceStatus({ namespace, name }),
};

// --only: a subset (the two floors always run), e.g. to see a candidate alone in the process, where
// no other candidate's code shares its inline caches.
if (values.only !== undefined) {
  const wanted = new Set([REFERENCE, OPTIONS_FLOOR, ...values.only.split(',')]);
  const unknown = [...wanted].filter((label) => !(label in candidates));
  if (unknown.length)
    throw new Error(`--only: no candidate ${unknown.join(', ')}; there are: ${Object.keys(candidates).join(', ')}`);
  for (const label of Object.keys(candidates)) if (!wanted.has(label)) delete candidates[label];
}

// Every candidate must return the same Service before anything is timed.
for (const [label, call] of Object.entries(candidates)) {
  const result = await call();
  if (result?.metadata?.uid !== service.metadata.uid) throw new Error(`${label} did not return the example Service`);
}

console.log(
  `Throughput: ${rounds} interleaved rounds × ${requests} requests at ${concurrencies.join(' and ')} in flight; ` +
    `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${availableParallelism()}; server in a separate process.`,
);
const rows = [];
const verdicts = [];
/**
 * `label` against `against` round by round: medians (with 95 % intervals) of the throughput ratio
 * and of the extra CPU µs/request.
 */
function comparison(results, label, against) {
  const theirs = results[against];
  return {
    ratio: medianInterval(results[label].map((r, i) => r.rps / theirs[i].rps)),
    extraCpu: medianInterval(results[label].map((r, i) => r.cpuMicros - theirs[i].cpuMicros)),
  };
}
const signed = (micros) => `${micros >= 0 ? '+' : ''}${micros.toFixed(1)}`;
/** 'met' when the whole interval is on the goal's side, 'NOT met' when none of it is, else 'undecided'. */
function verdictOf(checks) {
  if (checks.every(({ interval, holds }) => holds(interval.low) && holds(interval.high))) return 'met';
  if (checks.some(({ interval, holds }) => !holds(interval.low) && !holds(interval.high))) return 'NOT met';
  return 'undecided (the interval straddles the goal; run more rounds)';
}
const range = ({ low, high }, digits, sign = (x) => x.toFixed(digits)) => `${sign(low)} … ${sign(high)}`;
for (const concurrency of concurrencies) {
  const results = await interleave(candidates, {
    rounds,
    requests,
    concurrency,
    onRound: (round, total) => process.stderr.write(`\r${concurrency} in flight: round ${round}/${total}`),
  });
  process.stderr.write('\n');
  for (const [label, perRound] of Object.entries(results)) {
    const { ratio, extraCpu } = comparison(results, label, REFERENCE);
    rows.push([
      concurrency,
      label,
      Math.round(median(perRound.map((r) => r.rps))),
      Number(ratio.median.toFixed(3)),
      Number(median(perRound.map((r) => r.cpuMicros)).toFixed(1)),
      label === REFERENCE ? '—' : signed(extraCpu.median),
    ]);
  }
  if (results[GOAL.candidate]) {
    for (const floor of [REFERENCE, OPTIONS_FLOOR]) {
      const { ratio, extraCpu } = comparison(results, GOAL.candidate, floor);
      const verdict = verdictOf([
        { interval: ratio, holds: (x) => x >= GOAL.minRatio },
        { interval: extraCpu, holds: (x) => x <= GOAL.maxExtraCpuMicros },
      ]);
      verdicts.push(
        `${concurrency} in flight: ${GOAL.candidate} at ${ratio.median.toFixed(3)}× ${floor} (95 % interval ${range(ratio, 3)}; goal ≥ ${GOAL.minRatio}), CPU ${signed(extraCpu.median)} µs/request (${range(extraCpu, 1, signed)}; goal ≤ +${GOAL.maxExtraCpuMicros}): ${verdict}`,
      );
    }
  }
  if (!results[GET_GOAL.against] || !results[GET_GOAL.candidate]) continue;
  const get = comparison(results, GET_GOAL.candidate, GET_GOAL.against);
  const getVerdict = verdictOf([{ interval: get.ratio, holds: (x) => x >= GET_GOAL.minRatio }]);
  verdicts.push(
    `${concurrency} in flight: ${GET_GOAL.candidate} at ${get.ratio.median.toFixed(3)}× ${GET_GOAL.against} (95 % interval ${range(get.ratio, 3)}; goal ≥ ${GET_GOAL.minRatio}), CPU ${signed(get.extraCpu.median)} µs/request: ${getVerdict}`,
  );
}
printTable(
  [
    'in flight',
    'candidate',
    'median req/s',
    `ratio to ${REFERENCE}`,
    'client CPU µs/req',
    `CPU Δ vs ${REFERENCE} (µs/req)`,
  ],
  rows,
);
console.log(
  `ratio and CPU Δ = medians over rounds of the per-round comparison with ${REFERENCE} in the same round; ` +
    'a goal is met when the 95 % bootstrap interval of that median lies wholly on its side.',
);
for (const verdict of verdicts) console.log(verdict);

// The client's own CPU per call, steadier than any figure that includes a socket on a loaded
// machine: the same calls with fetch answered from memory (a fresh Response of the same body), so
// what is measured is URL building, the transport (timer, limiter, headers), body reading, JSON
// parsing and the response check, against plain fetch + response.json() on the same fake fetch.
const body = JSON.stringify(service);
const memoryFetch = async () =>
  new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
const inMemory = createCciClient({ baseUrl: server.url, token, fetch: memoryFetch });
const memoryCandidates = {
  'plain fetch': async () => (await memoryFetch(url, { headers: { 'X-Auth-Token': token } })).json(),
  readCoreV1NamespacedServiceStatus: () => inMemory.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'client.GET (pipeline)': async () => (await inMemory.GET(PATH, { params: { path: { namespace, name } } })).data,
};
const memory = await interleave(memoryCandidates, { rounds, requests: requests * 3, concurrency: 1 });
const memoryBaseline = memory['plain fetch'];
console.log(
  `\nClient overhead: the same calls with fetch answered from memory; ${rounds} interleaved rounds × ${requests * 3} calls, 1 in flight.`,
);
printTable(
  ['candidate', 'client CPU µs/call', 'CPU Δ vs plain fetch (µs/call)'],
  Object.entries(memory).map(([label, perRound]) => {
    const extra = median(perRound.map((r, i) => r.cpuMicros - memoryBaseline[i].cpuMicros));
    return [
      label,
      Number(median(perRound.map((r) => r.cpuMicros)).toFixed(1)),
      label === 'plain fetch' ? '—' : `${extra >= 0 ? '+' : ''}${extra.toFixed(1)}`,
    ];
  }),
);

plain.close();
plainWithOptions.close();
await Promise.all([cci.close(), cciOverFetch.close()]);
await server.close();
