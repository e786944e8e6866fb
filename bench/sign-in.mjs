// The cost of signing in. (1) Throughput: the generated read with an AK/SK signature on every
// request against the same read with a fixed token, and plain node:http as the floor, for each
// number of requests in flight (interleaved rounds, per-round ratios and CPU differences, as
// throughput.mjs). (2) The IAM token provider: how many IAM requests 10,000 calls within a token's
// life make, and 100 calls that arrive together while no token is held.
//
//   npx turbo run build --filter=@cci-openapi/client... && node bench/sign-in.mjs [--rounds 20] [--requests 1000] [--concurrency 1,8]
//
// The server (a separate process) does not check signatures: what is measured is the client's own
// cost of producing them. A benchmark, not a test: it asserts nothing; compare ratios.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { exampleService } from './lib/example-service.mjs';
import { interleave } from './lib/interleave.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { plainNodeHttp } from './lib/plain-node-http.mjs';
import { median, printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1,8' },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const concurrencies = values.concurrency.split(',').map(Number);
/** The issue's goals: signing adds ≤ 15 µs CPU per request and keeps ≥ 0.95× the unsigned throughput at 8 in flight. */
const GOAL = { maxExtraCpuMicros: 15, minRatio: 0.95, atConcurrency: 8 };

if (!existsSync(new URL('../packages/client/dist/index.js', import.meta.url))) {
  console.error('packages/client/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const { createCciClient } = await import('@cci-openapi/client');

const service = exampleService();
const { namespace, name } = service.metadata;
const token = 'bench-token-0123456789';
const credentials = { ak: 'QTWAOYTTINDUT2QVKYUC', sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' };
const server = await startServerProcess(service);
const url = `${server.url}/api/v1/namespaces/${namespace}/services/${name}/status`;
const unsigned = createCciClient({ baseUrl: server.url, token });
const signed = createCciClient({ baseUrl: server.url, credentials });
const plain = plainNodeHttp(url, { 'X-Auth-Token': token });

const candidates = {
  'read, token (unsigned)': () => unsigned.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'read, AK/SK signed': () => signed.readCoreV1NamespacedServiceStatus({ namespace, name }),
  'plain node:http': plain.get,
};
for (const [label, call] of Object.entries(candidates)) {
  if ((await call())?.metadata?.uid !== service.metadata.uid)
    throw new Error(`${label} did not return the example Service`);
}

console.log(
  `Signing: ${rounds} interleaved rounds × ${requests} requests at ${concurrencies.join(' and ')} in flight; ` +
    `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${availableParallelism()}; server in a separate process.`,
);
const rows = [];
const verdicts = [];
for (const concurrency of concurrencies) {
  const results = await interleave(candidates, { rounds, requests, concurrency });
  const baseline = results['read, token (unsigned)'];
  for (const [label, perRound] of Object.entries(results)) {
    const ratio = median(perRound.map((r, i) => r.rps / baseline[i].rps));
    const extraCpu = median(perRound.map((r, i) => r.cpuMicros - baseline[i].cpuMicros));
    rows.push([
      concurrency,
      label,
      Math.round(median(perRound.map((r) => r.rps))),
      Number(ratio.toFixed(3)),
      Number(median(perRound.map((r) => r.cpuMicros)).toFixed(1)),
      `${extraCpu >= 0 ? '+' : ''}${extraCpu.toFixed(1)}`,
    ]);
    if (label === 'read, AK/SK signed') {
      const ratioGoal = concurrency !== GOAL.atConcurrency || ratio >= GOAL.minRatio;
      verdicts.push(
        `${concurrency} in flight: signed at ${ratio.toFixed(3)}× unsigned${concurrency === GOAL.atConcurrency ? ` (goal ≥ ${GOAL.minRatio})` : ''}, ` +
          `CPU ${extraCpu >= 0 ? '+' : ''}${extraCpu.toFixed(1)} µs/request (goal ≤ +${GOAL.maxExtraCpuMicros}): ${ratioGoal && extraCpu <= GOAL.maxExtraCpuMicros ? 'met' : 'NOT met'}`,
      );
    }
  }
}
printTable(
  ['in flight', 'candidate', 'median req/s', 'ratio to unsigned', 'client CPU µs/req', 'CPU Δ vs unsigned (µs/req)'],
  rows,
);
for (const verdict of verdicts) console.log(verdict);

// (2) The IAM token provider, against a local IAM (in this process) that counts its sign-ins and
// answers 201 with a 24 h token; CCI is the same server process as above (it takes any token).
let signIns = 0;
const iam = http.createServer((req, res) => {
  signIns++;
  req.resume();
  req.on('end', () => {
    const issued = new Date();
    res.writeHead(201, {
      'content-type': 'application/json',
      'x-subject-token': `iam-token-${signIns}-${'x'.repeat(32)}`,
    });
    res.end(
      JSON.stringify({
        token: { issued_at: issued.toISOString(), expires_at: new Date(issued.getTime() + 86_400_000).toISOString() },
      }),
    );
  });
});
await new Promise((resolve) => iam.listen(0, '127.0.0.1', resolve));
const iamOptions = {
  username: 'bench',
  password: 'bench-password',
  domainName: 'bench',
  projectName: 'cn-north-4',
  endpoint: `http://127.0.0.1:${iam.address().port}`,
};

const sequential = createCciClient({ baseUrl: server.url, iam: iamOptions });
const t0 = performance.now();
for (let i = 0; i < 10_000; i++) await sequential.readCoreV1NamespacedServiceStatus({ namespace, name });
const sequentialMs = performance.now() - t0;
const afterSequential = signIns;
const together = createCciClient({ baseUrl: server.url, iam: iamOptions });
await Promise.all(Array.from({ length: 100 }, () => together.readCoreV1NamespacedServiceStatus({ namespace, name })));
console.log('\nIAM token provider:');
printTable(
  ['calls', 'IAM requests', 'goal'],
  [
    [`10,000 one after another within a token's life (${Math.round(sequentialMs)} ms)`, afterSequential, 1],
    ['100 arriving together with no token held', signIns - afterSequential, 1],
  ],
);

plain.close();
iam.close();
await Promise.all([unsigned.close(), signed.close(), sequential.close(), together.close()]);
await server.close();
