// Lists, watches, waits and the informer, side by side in one run, against the mock API:
//
// 1. Listing 10,000 Services: total time and peak RSS, each run in a fresh Node process (so one
//    candidate's garbage cannot count against the next), candidates interleaved, medians.
// 2. Watch latency: from mock.store.apply() to the client's event, over 1,000 changes.
// 3. Requests sent while waitForLoadBalancerIngress waits through a 10 s provisioning: the watch
//    against the old polling (the same call with the watch refused, so it polls).
// 4. The informer's memory with 10,000 Services in its cache, against client-node's makeInformer.
//
//   node bench/lists-watch.mjs [--rounds 5] [--count 10000] [--changes 1000] [--provisioning-ms 10000] [--parts list,watch,wait,informer]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCciClient } from '@cci-openapi/client';
import { startMockServer } from '@cci-openapi/mock-server';
import { startMockProcess } from './lib/mock-process.mjs';
import { median, printTable } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    count: { type: 'string', default: '10000' },
    changes: { type: 'string', default: '1000' },
    'provisioning-ms': { type: 'string', default: '10000' },
    parts: { type: 'string', default: 'list,watch,wait,informer' },
  },
});
const rounds = Number(values.rounds);
const count = Number(values.count);
const changes = Number(values.changes);
const provisioningMs = Number(values['provisioning-ms']);
const parts = new Set(values.parts.split(','));
const NAMESPACE = 'bench';
const TOKEN = 'mock-token';

// ---------------------------------------------------------------------------------------------
// The mock in its own process, serving `count` generated Services, all in one namespace (so that
// client-node's listNamespacedService lists them all).
const MOCK_SOURCE = `
  const { startMockServer, generateServices } = await import('@cci-openapi/mock-server');
  const fixtures = generateServices(${count}).map((s) => ({ ...s, metadata: { ...s.metadata, namespace: '${NAMESPACE}' } }));
  const mock = await startMockServer({ fixtures, limits: { keepAliveTimeoutMs: 60000 } });
  process.stdout.write(mock.url + '\\n');
  process.on('disconnect', () => process.exit(0));
`;

const startMock = () => startMockProcess(MOCK_SOURCE);

// Each candidate runs in a fresh process: it prints {ms, items, maxRssKiB}. `items` proves it saw them all.
function listCandidates(url) {
  const kubeconfig = `const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: '${url}', skipTLSVerify: true }], users: [{ name: 'u', token: '${TOKEN}' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const api = kc.makeApiClient(k8s.CoreV1Api);`;
  const ours = `const { createCciClient } = await import('@cci-openapi/client');
    const client = createCciClient({ baseUrl: '${url}', token: '${TOKEN}' });`;
  return {
    'listServices, pages of 500': `${ours}
      const t0 = performance.now(); let items = 0;
      for await (const service of client.listServices({ namespace: '${NAMESPACE}', pageSize: 500 })) if (service.metadata.name) items++;`,
    // The same over fetch (the client's wire in browsers, or when given a fetch): Node's fetch parses
    // HTTP with undici's WebAssembly llhttp, and V8's optimizing compile of it in a fresh process
    // costs CPU and RSS that node:http (native llhttp), the client's wire on Node, does not pay.
    'listServices, pages of 500, over fetch': `${ours.replace('});', ', fetch: globalThis.fetch });')}
      const t0 = performance.now(); let items = 0;
      for await (const service of client.listServices({ namespace: '${NAMESPACE}', pageSize: 500 })) if (service.metadata.name) items++;`,
    'client.listCoreV1NamespacedService, unpaged': `${ours}
      const t0 = performance.now();
      const list = await client.listCoreV1NamespacedService({ namespace: '${NAMESPACE}' }); const items = list.items.length;`,
    '@kubernetes/client-node listNamespacedService, unpaged': `${kubeconfig}
      const t0 = performance.now();
      const list = await api.listNamespacedService({ namespace: '${NAMESPACE}' }); const items = list.items.length;`,
    '@kubernetes/client-node listNamespacedService, pages of 500': `${kubeconfig}
      const t0 = performance.now(); let items = 0; let token;
      do {
        const page = await api.listNamespacedService({ namespace: '${NAMESPACE}', limit: 500, _continue: token });
        items += page.items.length; token = page.metadata?._continue;
      } while (token);`,
    'plain fetch, unpaged': `const t0 = performance.now();
      const response = await fetch('${url}/api/v1/namespaces/${NAMESPACE}/services', { headers: { 'X-Auth-Token': '${TOKEN}' } });
      const list = await response.json(); const items = list.items.length;`,
    // References for what the HTTP stack costs: the same pages with Node's fetch, and with node:http.
    'plain fetch, pages of 500': `const t0 = performance.now(); let items = 0; let token;
      do {
        const response = await fetch('${url}/api/v1/namespaces/${NAMESPACE}/services?limit=500' + (token ? '&continue=' + encodeURIComponent(token) : ''), { headers: { 'X-Auth-Token': '${TOKEN}' } });
        const page = await response.json(); items += page.items.length; token = page.metadata.continue;
      } while (token);`,
    'node:http, pages of 500': `const http = await import('node:http'); const agent = new http.Agent({ keepAlive: true });
      const get = (url) => new Promise((resolve, reject) => http.get(url, { agent, headers: { 'X-Auth-Token': '${TOKEN}' } }, (res) => {
        const chunks = []; res.on('data', (chunk) => chunks.push(chunk)); res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      }).on('error', reject));
      const t0 = performance.now(); let items = 0; let token;
      do {
        const page = JSON.parse(await get('${url}/api/v1/namespaces/${NAMESPACE}/services?limit=500' + (token ? '&continue=' + encodeURIComponent(token) : '')));
        items += page.items.length; token = page.metadata.continue;
      } while (token);`,
  };
}
// Peak RSS counts what the process got from the OS, garbage and fetch's own buffers included;
// the sampled peak of the JS heap shows what the listing itself keeps alive.
const prologue = `const { getHeapStatistics } = await import('node:v8'); let peakHeap = 0;
  const sampleHeap = () => { const used = getHeapStatistics().used_heap_size; if (used > peakHeap) peakHeap = used; };
  const sampler = setInterval(sampleHeap, 2);`;
const epilogue = `const ms = performance.now() - t0; sampleHeap(); clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ ms, items, maxRssKiB: process.resourceUsage().maxRSS, peakHeapMiB: peakHeap / 1048576, cpuMs: (cpu.user + cpu.system) / 1000 }));`;

function runChild(code, args = []) {
  const result = spawnSync(process.execPath, [...args, '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(result.stderr || `exit ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

// client-node sends its token as `Authorization: Bearer`, which the mock accepts as well.
if (parts.has('list')) {
  const mock = await startMock();
  const baseline = runChild(
    `${prologue}\nconst t0 = performance.now(); const cpu0 = process.cpuUsage(); const items = 0;\n${epilogue}`,
  );
  const candidates = listCandidates(mock.url);
  const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      const names = Object.keys(candidates);
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        // CPU is counted from t0, after the imports.
        const code = candidates[name].replace(
          'const t0 = performance.now();',
          'const t0 = performance.now(); const cpu0 = process.cpuUsage();',
        );
        const run = runChild(`${prologue}\n${code}\n${epilogue}`);
        if (run.items !== count) throw new Error(`${name} saw ${run.items} Services, not ${count}`);
        samples[name].push(run);
      }
      process.stderr.write(`list round ${round + 1}/${rounds}\n`);
    }
  } finally {
    await mock.close();
  }

  console.log(`## Listing ${count.toLocaleString('en')} Services\n`);
  console.log(
    `A fresh Node ${process.version} process per run, ${rounds} interleaved rounds, medians; the mock in its own process. Node alone peaks at ${(baseline.maxRssKiB / 1024).toFixed(1)} MiB.\n`,
  );
  const reference = '@kubernetes/client-node listNamespacedService, unpaged';
  const refMs = median(samples[reference].map((r) => r.ms));
  const refRss = median(samples[reference].map((r) => r.maxRssKiB));
  printTable(
    [
      'candidate',
      'total time',
      'speed vs client-node unpaged',
      'client CPU',
      'peak RSS',
      'RSS vs client-node unpaged',
      'peak JS heap',
    ],
    Object.entries(samples).map(([name, runs]) => {
      const ms = median(runs.map((r) => r.ms));
      const rss = median(runs.map((r) => r.maxRssKiB));
      const heap = median(runs.map((r) => r.peakHeapMiB));
      const cpuMs = median(runs.map((r) => r.cpuMs));
      return [
        name,
        `${ms.toFixed(0)} ms`,
        `${(refMs / ms).toFixed(2)}×`,
        `${cpuMs.toFixed(0)} ms`,
        `${(rss / 1024).toFixed(1)} MiB`,
        `${(rss / refRss).toFixed(2)}×`,
        `${heap.toFixed(1)} MiB`,
      ];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Watch latency: mock and client in this process, one change at a time.
if (parts.has('watch')) {
  const mock = await startMockServer({ fixtures: [], generate: 10, historySize: 5000 });
  const client = createCciClient({ baseUrl: mock.url, token: TOKEN });
  const [target] = mock.store.list();
  const controller = new AbortController();
  const events = client
    .watchServices({
      namespace: target.metadata.namespace,
      resourceVersion: mock.store.resourceVersion(),
      signal: controller.signal,
    })
    [Symbol.asyncIterator]();
  const latencies = [];
  await new Promise((resolve) => setTimeout(resolve, 200)); // the stream is open
  for (let i = 0; i < changes + 50; i++) {
    const t0 = performance.now();
    mock.store.apply({
      ...target,
      metadata: { ...target.metadata, labels: { ...target.metadata.labels, change: String(i) } },
    });
    const { value } = await events.next();
    if (value.type !== 'MODIFIED' || value.object.metadata.labels.change !== String(i))
      throw new Error(`unexpected event ${value.type}`);
    if (i >= 50) latencies.push(performance.now() - t0); // the first 50 warm up
  }
  controller.abort();
  await events.return?.().catch(() => {});
  await client.close();
  await mock.close();
  latencies.sort((a, b) => a - b);
  const p = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  console.log(
    `\n## Watch latency\n\nmock.store.apply() → the MODIFIED event out of watchServices, ${changes.toLocaleString('en')} changes one at a time (after 50 warm-up), mock and client in one process.\n`,
  );
  printTable(
    ['median', 'p99', 'max'],
    [[`${median(latencies).toFixed(2)} ms`, `${p(0.99).toFixed(2)} ms`, `${latencies.at(-1).toFixed(2)} ms`]],
  );
}

// ---------------------------------------------------------------------------------------------
// Requests during a wait for a load balancer, watch against polling.
if (parts.has('wait')) {
  const rows = [];
  for (const mode of ['watch', 'polling (watch refused → the old behaviour)']) {
    const requests = [];
    const lb = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'elb', namespace: NAMESPACE },
      spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], clusterIP: '10.247.0.9' },
      status: { loadBalancer: {} },
    };
    const mock = await startMockServer({
      fixtures: [lb],
      faults: { provisioning: { delayMs: provisioningMs } },
      onRequest: (entry) => requests.push(entry),
    });
    // Polling: the same call, with every watch request answered 405 before it leaves (so the mock
    // only counts the polls), which is exactly the fallback path.
    const refuseWatch = (input, init) =>
      String(input).includes('watch=true')
        ? Promise.resolve(
            new Response(
              JSON.stringify({
                kind: 'Status',
                apiVersion: 'v1',
                status: 'Failure',
                reason: 'MethodNotAllowed',
                code: 405,
              }),
              {
                status: 405,
                headers: { 'content-type': 'application/json' },
              },
            ),
          )
        : fetch(input, init);
    const client = createCciClient({
      baseUrl: mock.url,
      token: TOKEN,
      ...(mode === 'watch' ? {} : { fetch: refuseWatch }),
    });
    const t0 = performance.now();
    await client.waitForLoadBalancerIngress({ namespace: NAMESPACE, name: 'elb', timeoutMs: provisioningMs * 3 });
    const seconds = (performance.now() - t0) / 1000;
    await client.close();
    await mock.close();
    rows.push([
      mode,
      requests.length,
      `${seconds.toFixed(2)} s`,
      `${Math.max(0, seconds - provisioningMs / 1000).toFixed(2)} s`,
    ]);
  }
  console.log(
    `\n## Waiting for a load balancer\n\nwaitForLoadBalancerIngress through a ${provisioningMs / 1000} s provisioning (the mock's provisioning fault), default options; requests counted by the mock.\n`,
  );
  printTable(['mode', 'requests', 'wait', 'late by'], rows);
}

// ---------------------------------------------------------------------------------------------
// The informer's memory for `count` Services, each in a fresh process after a full GC.
if (parts.has('informer')) {
  const mock = await startMock();
  const informers = {
    createServiceInformer: `const { createCciClient } = await import('@cci-openapi/client');
      const client = createCciClient({ baseUrl: '${mock.url}', token: '${TOKEN}' });
      const t0 = performance.now();
      const informer = client.createServiceInformer({ namespace: '${NAMESPACE}' });
      await informer.synced(); const items = informer.list().length;`,
    '@kubernetes/client-node makeInformer': `const k8s = await import('@kubernetes/client-node');
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({ clusters: [{ name: 'c', server: '${mock.url}', skipTLSVerify: true }], users: [{ name: 'u', token: '${TOKEN}' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
      const api = kc.makeApiClient(k8s.CoreV1Api);
      const t0 = performance.now();
      const informer = k8s.makeInformer(kc, '/api/v1/namespaces/${NAMESPACE}/services', () => api.listNamespacedService({ namespace: '${NAMESPACE}' }));
      let items = 0;
      await new Promise((resolve, reject) => { informer.on('error', reject); informer.on('add', () => { if (++items === ${count}) resolve(); }); informer.start(); });`,
  };
  const informerEpilogue = `const ms = performance.now() - t0; globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); globalThis.gc();
    const heapMiB = process.memoryUsage().heapUsed / 1048576;
    console.log(JSON.stringify({ ms, items, heapMiB, maxRssKiB: process.resourceUsage().maxRSS })); process.exit(0);`;
  const runs = Object.fromEntries(Object.keys(informers).map((name) => [name, []]));
  try {
    for (let round = 0; round < Math.min(rounds, 3); round++) {
      for (const [name, code] of Object.entries(informers)) {
        const run = runChild(`${code}\n${informerEpilogue}`, ['--expose-gc']);
        if (run.items !== count) throw new Error(`${name} cached ${run.items} Services, not ${count}`);
        runs[name].push(run);
      }
    }
  } finally {
    await mock.close();
  }
  console.log(
    `\n## Informer memory\n\nAn informer synced with ${count.toLocaleString('en')} Services, fresh process each, medians of ${Math.min(rounds, 3)}; heap after a full GC (what the cache keeps), peak RSS (what syncing cost).\n`,
  );
  printTable(
    ['informer', 'synced in', 'heap after GC', 'peak RSS'],
    Object.entries(runs).map(([name, r]) => [
      name,
      `${median(r.map((x) => x.ms)).toFixed(0)} ms`,
      `${median(r.map((x) => x.heapMiB)).toFixed(1)} MiB`,
      `${(median(r.map((x) => x.maxRssKiB)) / 1024).toFixed(1)} MiB`,
    ]),
  );
}
