// Writes, side by side in one run, against the mock API (in its own process, so serving costs the
// measured process nothing): create+delete pairs and merge patches per second, and this process's
// CPU per write, through
//   - the client's generated operations (node:http wire),
//   - @kubernetes/client-node 1.4 (CoreV1Api createNamespacedService / deleteNamespacedService /
//     patchNamespacedService with a merge-patch Content-Type),
//   - plain node:http (the floor: the same requests, bodies and JSON parsing, nothing else).
// Candidates run in interleaved rounds (bench/lib/interleave.mjs); medians of the rounds.
//
//   node bench/writes.mjs [--rounds 5] [--pairs 400] [--patches 1000] [--concurrency 1,8]
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createCciClient } from '@cci-openapi/client';
import { interleave } from './lib/interleave.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { median, printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '400' },
    patches: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1,8' },
  },
});
const rounds = Number(values.rounds);
const pairs = Number(values.pairs);
const patches = Number(values.patches);
const concurrencies = values.concurrency.split(',').map(Number);
const NAMESPACE = 'bench';
const TOKEN = 'bench-token-0123456789abcdef';

// The mock in the kube profile (a kube-apiserver's semantics, a bearer token), one Service to patch.
const MOCK_SOURCE = `
  const { startMockServer } = await import('@cci-openapi/mock-server');
  const target = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'patched', namespace: '${NAMESPACE}' }, spec: { type: 'ClusterIP', sessionAffinity: 'None', clusterIP: '10.247.0.10', clusterIPs: ['10.247.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }, status: { loadBalancer: {} } };
  const mock = await startMockServer({ profile: 'kube', tokens: ['${TOKEN}'], fixtures: [target], limits: { keepAliveTimeoutMs: 60000 } });
  process.stdout.write(mock.url + '\\n');
  process.on('disconnect', () => process.exit(0));
`;

const startMock = () => startMockProcess(MOCK_SOURCE);

const serviceNamed = (name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], selector: { app: name } },
});

/** Plain node:http: one keep-alive agent, the body sent and the answer parsed. */
function plainClient(url) {
  const agent = new http.Agent({ keepAlive: true });
  const send = (method, path, body, type = 'application/json') =>
    new Promise((resolve, reject) => {
      const headers = { accept: 'application/json', authorization: `Bearer ${TOKEN}` };
      if (body !== undefined)
        Object.assign(headers, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      const request = http.request(`${url}${path}`, { method, headers, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode >= 300) reject(new Error(`${method} ${path}: ${response.statusCode}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString()));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

async function main() {
  const mock = await startMock();
  const ours = createCciClient({ baseUrl: mock.url, bearerToken: TOKEN });
  const k8s = await import('@kubernetes/client-node');
  const kubeConfig = new k8s.KubeConfig();
  // client-node 1.4 refuses an http:// server unless skipTLSVerify is set.
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'mock', server: mock.url, skipTLSVerify: true }],
    users: [{ name: 'bench', token: TOKEN }],
    contexts: [{ name: 'mock', cluster: 'mock', user: 'bench' }],
    currentContext: 'mock',
  });
  const coreV1 = kubeConfig.makeApiClient(k8s.CoreV1Api);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  const plain = plainClient(mock.url);
  const collection = `/api/v1/namespaces/${NAMESPACE}/services`;

  let serial = 0;
  const fresh = (prefix) => `${prefix}-${(serial++).toString(36)}`;
  const label = () => ({ metadata: { labels: { round: String(serial++) } } });
  const pairCandidates = {
    'client (generated operations)': async () => {
      const name = fresh('ours');
      await ours.createCoreV1NamespacedService({ namespace: NAMESPACE, body: serviceNamed(name) });
      await ours.deleteCoreV1NamespacedService({ namespace: NAMESPACE, name });
    },
    '@kubernetes/client-node 1.4': async () => {
      const name = fresh('cn');
      await coreV1.createNamespacedService({ namespace: NAMESPACE, body: serviceNamed(name) });
      await coreV1.deleteNamespacedService({ namespace: NAMESPACE, name });
    },
    'plain node:http': async () => {
      const name = fresh('plain');
      await plain.send('POST', collection, JSON.stringify(serviceNamed(name)));
      await plain.send('DELETE', `${collection}/${name}`);
    },
  };
  const patchCandidates = {
    'client (generated operations)': () =>
      ours.patchCoreV1NamespacedService({
        namespace: NAMESPACE,
        name: 'patched',
        contentType: 'application/merge-patch+json',
        body: label(),
      }),
    '@kubernetes/client-node 1.4': () =>
      coreV1.patchNamespacedService({ namespace: NAMESPACE, name: 'patched', body: label() }, mergePatch),
    'plain node:http': () =>
      plain.send('PATCH', `${collection}/patched`, JSON.stringify(label()), 'application/merge-patch+json'),
  };

  for (const [what, candidates, requests, writesPerCall] of [
    ['create+delete pairs', pairCandidates, pairs, 2],
    ['merge patches', patchCandidates, patches, 1],
  ]) {
    for (const concurrency of concurrencies) {
      const results = await interleave(candidates, { rounds, requests, concurrency });
      const floor = median(results['plain node:http'].map((r) => r.rps));
      const cn = results['@kubernetes/client-node 1.4'];
      const cnRate = median(cn.map((r) => r.rps));
      const cnCpu = median(cn.map((r) => r.cpuMicros)) / writesPerCall;
      console.log(`\n${what}, ${concurrency} in flight (${requests} per round, ${rounds} rounds, medians)`);
      printTable(
        [
          what === 'merge patches' ? 'patches/s' : 'pairs/s',
          'candidate',
          'CPU µs per write',
          'vs client-node rate',
          'vs client-node CPU',
          'vs plain node:http',
        ],
        Object.entries(results).map(([name, list]) => {
          const rate = median(list.map((r) => r.rps));
          const cpu = median(list.map((r) => r.cpuMicros)) / writesPerCall;
          return [
            Math.round(rate),
            name,
            Math.round(cpu),
            `${(rate / cnRate).toFixed(2)}×`,
            `${(cpu / cnCpu).toFixed(2)}×`,
            `${(rate / floor).toFixed(2)}×`,
          ];
        }),
      );
    }
  }
  await ours.close();
  plain.close();
  await mock.close();
}

await main();
