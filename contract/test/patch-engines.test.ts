// The mock's patch engines and field management (packages/mock-server/src/writes/{merge,fields})
// against a real kube-apiserver 1.20: a seeded random series of creates and patches of every kind
// (JSON patch, merge patch, strategic merge patch with its directives, server-side apply by two
// managers with conflicts and force) goes to the real server; before each, the engines predict the
// answer from the object the real server last returned. The status code, the object and its
// managedFields must match. PATCH_ENGINES_SEED and PATCH_ENGINES_STEPS change the series.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import {
  type ManagedFieldsEntry,
  managerName,
  updateManagedFields,
} from '../../packages/mock-server/src/writes/fields/index.js';
import {
  applyPatch,
  decodeLikeGo,
  type JsonObject,
  type PatchKind,
  patchMetaFor,
} from '../../packages/mock-server/src/writes/merge/index.js';
import { Agent, request as httpsRequest } from 'node:https';
import { send, type RawRequest, type RawResponse, type Target } from '../src/http.js';
import { seededRandom } from '../../packages/mock-server/src/faults.js';

// Writes go to the second server of the run (global-setup.ts), never to the read suite's.
const server = inject('writeServer');
const NAMESPACE = 'patch-engines';
const SEED = Number(process.env.PATCH_ENGINES_SEED ?? 20261207);
const STEPS = Number(process.env.PATCH_ENGINES_STEPS ?? 300);
const SERVICES = ['alpha', 'beta', 'gamma'];
const USER_AGENT = 'patch-engines-test/1.0 (contract)';
const meta = patchMetaFor('Service');
const DECODE_FAILURE = ' "" is invalid: patch: Invalid value: ';

/** The mock's seeded generator (mulberry32), with helpers, so a failing series can be replayed. */
function random(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof random>;

// What kube-apiserver's defaulting does to a Service after a patch is decoded (SetDefaults_Service,
// the part these series reach). The engines leave defaulting to the mock's write path; the test
// applies the same defaults to their output.
function defaultService(object: JsonObject): JsonObject {
  const spec = (object.spec ?? {}) as JsonObject;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const port of (spec.ports ?? []) as JsonObject[]) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0) port.targetPort = port.port as number;
  }
  return object;
}

const LABELS = ['a', 'b', 'c'];
// No 'y'/'n': YAML 1.1 (the server's YAML) reads them as booleans, which a label refuses.
const VALUES = ['x', 'w', 'z'];
const SELECTOR_KEYS = ['app', 'tier'];
const FINALIZERS = ['example.com/f1', 'example.com/f2', 'example.com/f3'];
const PORTS = [80, 81, 443, 8080];
const EXTERNAL_IPS = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
const OWNERS = ['o1', 'o2'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: `uid-${name}` }));

function port(rng: Rng, number = rng.pick(PORTS)): JsonObject {
  return { name: `p${number}`, port: number, protocol: 'TCP', targetPort: rng.chance(0.5) ? number : number + 1000 };
}

function someOf<T>(rng: Rng, items: readonly T[], min = 0): T[] {
  const chosen = items.filter(() => rng.chance(0.5));
  while (chosen.length < min) {
    const extra = rng.pick(items);
    if (!chosen.includes(extra)) chosen.push(extra);
  }
  return chosen;
}

function creationBody(rng: Rng, name: string): JsonObject {
  const labels = Object.fromEntries(someOf(rng, LABELS).map((k) => [k, rng.pick(VALUES)]));
  const spec: JsonObject = {
    ports: someOf(rng, PORTS, 1).map((p) => port(rng, p)),
    selector: { app: rng.pick(VALUES) },
  };
  const metadata: JsonObject = { name, labels };
  if (rng.chance(0.4)) metadata.finalizers = someOf(rng, FINALIZERS, 1);
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

const ports = (live: JsonObject) => ((live.spec as JsonObject).ports ?? []) as JsonObject[];

/** 1–3 JSON Patch operations, some of them failing on purpose (missing parents, wrong tests, bad indices). */
function jsonPatch(rng: Rng, live: JsonObject): unknown[] {
  const ops: unknown[] = [];
  // Now and then the documented reset: managedFields [] leaves the Service untracked until an apply.
  if (rng.chance(0.03)) ops.push({ op: 'replace', path: '/metadata/managedFields', value: [] });
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
    const existing = ports(live);
    const free = PORTS.filter((p) => !existing.some((e) => e.port === p));
    switch (rng.int(9)) {
      case 0:
        ops.push({ op: 'add', path: `/metadata/labels/${rng.pick(LABELS)}`, value: rng.pick(VALUES) });
        break;
      case 1:
        ops.push({ op: 'remove', path: `/metadata/labels/${rng.pick(LABELS)}` });
        break;
      case 2:
        ops.push({ op: 'test', path: `/metadata/labels/${rng.pick(LABELS)}`, value: rng.pick(VALUES) });
        break;
      case 3:
        if (free.length > 0)
          ops.push({
            op: 'add',
            path: `/spec/ports/${rng.chance(0.5) ? '-' : rng.int(existing.length + 2)}`,
            value: port(rng, rng.pick(free)),
          });
        break;
      case 4:
        if (existing.length > 1)
          ops.push({ op: 'remove', path: `/spec/ports/${rng.chance(0.8) ? rng.int(existing.length) : -1}` });
        break;
      case 5:
        ops.push({ op: 'replace', path: `/spec/selector/${rng.pick(SELECTOR_KEYS)}`, value: rng.pick(VALUES) });
        break;
      case 6:
        ops.push({ op: 'copy', from: `/metadata/labels/${rng.pick(LABELS)}`, path: `/metadata/annotations` });
        break;
      case 7:
        ops.push({
          op: 'move',
          from: `/metadata/labels/${rng.pick(LABELS)}`,
          path: `/metadata/labels/${rng.pick(LABELS)}`,
        });
        break;
      default:
        ops.push({ op: 'add', path: '/metadata/labels', value: { [rng.pick(LABELS)]: rng.pick(VALUES) } });
    }
  }
  return ops;
}

function mergePatch(rng: Rng): JsonObject {
  const patch: JsonObject = {};
  if (rng.chance(0.7))
    patch.metadata = {
      labels: Object.fromEntries(someOf(rng, LABELS, 1).map((k) => [k, rng.chance(0.3) ? null : rng.pick(VALUES)])),
    };
  const spec: JsonObject = {};
  if (rng.chance(0.4))
    spec.selector = Object.fromEntries(
      someOf(rng, SELECTOR_KEYS, 1).map((k) => [k, rng.chance(0.3) ? null : rng.pick(VALUES)]),
    );
  if (rng.chance(0.3)) spec.ports = someOf(rng, PORTS, 1).map((p) => port(rng, p));
  if (rng.chance(0.2)) spec.externalIPs = rng.chance(0.3) ? null : someOf(rng, EXTERNAL_IPS, 1);
  if (rng.chance(0.2)) spec.publishNotReadyAddresses = rng.chance(0.5);
  if (Object.keys(spec).length > 0) patch.spec = spec;
  if (rng.chance(0.1)) patch.unknownField = { a: 1 };
  return patch;
}

/** A strategic merge patch: merges by `port`, finalizers as a set, and the directives. */
function strategicPatch(rng: Rng, live: JsonObject): JsonObject {
  const existing = ports(live).map((p) => p.port as number);
  const metadata: JsonObject = {};
  const spec: JsonObject = {};
  const labels = Object.fromEntries(someOf(rng, LABELS, 1).map((k) => [k, rng.chance(0.3) ? null : rng.pick(VALUES)]));
  if (rng.chance(0.5)) metadata.labels = rng.chance(0.15) ? { ...labels, $patch: 'replace' } : labels;
  if (rng.chance(0.15)) {
    const owner = rng.pick(OWNERS);
    metadata.ownerReferences = [
      rng.chance(0.3) ? { uid: owner.uid, $patch: 'delete' } : { ...owner, controller: rng.chance(0.5) },
    ];
  }
  const finalizers = rng.int(3);
  if (finalizers === 0) metadata.finalizers = someOf(rng, FINALIZERS, 1);
  if (finalizers === 1) metadata['$deleteFromPrimitiveList/finalizers'] = someOf(rng, FINALIZERS, 1);
  switch (rng.int(5)) {
    case 0:
      spec.ports = [port(rng)];
      break;
    case 1:
      spec.ports = [{ port: rng.pick(existing.length > 0 ? existing : PORTS), targetPort: rng.int(3) + 9000 }];
      break;
    case 2:
      if (existing.length > 1) spec.ports = [{ port: rng.pick(existing), $patch: 'delete' }];
      break;
    case 3: {
      const order = [...existing].sort(() => rng.next() - 0.5);
      spec['$setElementOrder/ports'] = order.map((p) => ({ port: p }));
      if (rng.chance(0.5)) spec.ports = [{ port: rng.pick(existing), targetPort: 7000 }];
      break;
    }
    default:
      break;
  }
  if (rng.chance(0.3)) spec.selector = { app: rng.pick(VALUES), ...(rng.chance(0.5) ? { $retainKeys: ['app'] } : {}) };
  // Not both in one patch: Go visits a patch's keys in random order, and which comes first decides the list.
  if (rng.chance(0.15)) spec.externalIPs = someOf(rng, EXTERNAL_IPS, 1);
  else if (rng.chance(0.1)) spec['$deleteFromPrimitiveList/externalIPs'] = [rng.pick(EXTERNAL_IPS)];
  const patch: JsonObject = {};
  if (Object.keys(metadata).length > 0) patch.metadata = metadata;
  if (Object.keys(spec).length > 0) patch.spec = spec;
  return patch;
}

/** An applied configuration: always at least one port (a Service must keep one), full port entries. */
function appliedConfig(rng: Rng, name: string): JsonObject {
  const labels = Object.fromEntries(someOf(rng, LABELS).map((k) => [k, rng.pick(VALUES)]));
  const spec: JsonObject = { ports: someOf(rng, PORTS, 1).map((p) => ({ ...port(rng, p), targetPort: p })) };
  if (rng.chance(0.6))
    spec.selector = Object.fromEntries(someOf(rng, SELECTOR_KEYS, 1).map((k) => [k, rng.pick(VALUES)]));
  const metadata: JsonObject = { name };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (rng.chance(0.15)) metadata.ownerReferences = someOf(rng, OWNERS, 1);
  if (rng.chance(0.15)) spec.publishNotReadyAddresses = rng.chance(0.5);
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

/** What only a server sets, and what it allocates (cluster IPs, node ports), is not predicted. */
function normalise(object: unknown): unknown {
  const copy = structuredClone(object) as any;
  if (copy?.kind !== 'Service') return copy;
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'selfLink'])
    delete copy.metadata?.[key];
  delete copy.spec?.clusterIP;
  delete copy.spec?.clusterIPs;
  for (const p of copy.spec?.ports ?? []) delete p.nodePort;
  return copy;
}

/** managedFields without their times (the clock is the server's), in a stable order. */
function entries(list: unknown): unknown[] {
  return ((list ?? []) as ManagedFieldsEntry[])
    .map(({ time: _time, ...rest }) => rest)
    .sort((a, b) => `${a.operation}/${a.manager}`.localeCompare(`${b.operation}/${b.manager}`));
}

/** JSON with object keys sorted: Go's struct order and the engines' order differ, the content must not. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

interface Prediction {
  status: number;
  reason?: string;
  object?: JsonObject;
  managedFields?: unknown;
  message?: string;
  causes?: unknown[];
}

interface Step {
  kind: PatchKind | 'create' | 'status' | 'replace';
  name: string;
  body: string;
  fieldManager?: string;
  force?: boolean;
}

/** The engines' answer to `step` given the object the real server holds (undefined: none). */
function predict(step: Step, live: JsonObject | undefined, time: string): Prediction {
  const manager = managerName(step.fieldManager, USER_AGENT);
  if (step.kind === 'status') {
    const next = JSON.parse(step.body) as JsonObject;
    const object = { ...(live as JsonObject), status: next.status as JsonObject };
    return {
      status: 200,
      object,
      managedFields: updateManagedFields(live, next, meta, { manager, time, subresource: 'status' }),
    };
  }
  if (step.kind === 'replace') {
    // PUT of the whole object: the main resource's strategy keeps the live status.
    const decoded = decodeLikeGo(JSON.parse(step.body), meta);
    if (!decoded.ok) throw new Error(`the generator made an undecodable Service: ${decoded.detail}`);
    const object = defaultService({ ...decoded.object, status: (live as JsonObject).status as JsonObject });
    return { status: 200, object, managedFields: updateManagedFields(live, object, meta, { manager, time }) };
  }
  if (step.kind === 'create') {
    const decoded = decodeLikeGo(JSON.parse(step.body), meta);
    if (!decoded.ok) throw new Error(`the generator made an undecodable Service: ${decoded.detail}`);
    const object = defaultService(decoded.object);
    (object.metadata as JsonObject).namespace = NAMESPACE;
    return {
      status: 201,
      object: { ...object, status: { loadBalancer: {} } },
      managedFields: updateManagedFields(undefined, object, meta, { manager, time }),
    };
  }
  const result = applyPatch(step.kind, live, step.body, { fieldManager: step.fieldManager, force: step.force, time });
  if (!result.ok)
    return { status: result.status, reason: result.reason, message: result.message, causes: result.causes };
  const object = defaultService(result.object);
  if (step.kind === 'apply') {
    // A create by apply: the write path fills in the namespace of the URL and the Go zero status.
    if (result.created) {
      (object.metadata as JsonObject).namespace = NAMESPACE;
      object.status ??= { loadBalancer: {} };
    }
    return { status: result.created ? 201 : 200, object, managedFields: result.managedFields };
  }
  return { status: 200, object, managedFields: updateManagedFields(live, object, meta, { manager, time }) };
}

function request(step: Step) {
  const base = `/api/v1/namespaces/${NAMESPACE}/services`;
  const query = new URLSearchParams();
  if (step.fieldManager) query.set('fieldManager', step.fieldManager);
  if (step.force) query.set('force', 'true');
  const suffix = query.size > 0 ? `?${query}` : '';
  const types: Record<Step['kind'], string> = {
    create: 'application/json',
    status: 'application/json',
    replace: 'application/json',
    json: 'application/json-patch+json',
    merge: 'application/merge-patch+json',
    strategic: 'application/strategic-merge-patch+json',
    apply: 'application/apply-patch+yaml',
  };
  const method = { create: 'POST', status: 'PUT', replace: 'PUT' }[step.kind as string] ?? 'PATCH';
  const path =
    step.kind === 'create'
      ? `${base}${suffix}`
      : `${base}/${step.name}${step.kind === 'status' ? '/status' : ''}${suffix}`;
  return {
    method,
    path,
    headers: { 'content-type': types[step.kind], accept: 'application/json', 'user-agent': USER_AGENT },
    body: step.body,
  };
}

/** Applies the real server refuses: no fieldManager (422), a port without its protocol key (500), a YAML 1.1 boolean as a label (500). */
function oddApply(rng: Rng, name: string): Step {
  const config = appliedConfig(rng, name);
  switch (rng.int(3)) {
    case 0:
      return { kind: 'apply', name, body: JSON.stringify(config) };
    case 1:
      return {
        kind: 'apply',
        name,
        body: JSON.stringify({ ...config, spec: { ports: [{ port: 80 }] } }),
        fieldManager: 'alice',
      };
    default:
      return {
        kind: 'apply',
        name,
        body: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    a: on\n`,
        fieldManager: 'bob',
      };
  }
}

/** Patch bodies the real server refuses before or while patching. */
function oddPatch(rng: Rng, name: string): Step {
  const [kind, body] = rng.pick<[PatchKind, string]>([
    ['json', '{"op":"add"}'],
    ['json', '[x]'],
    ['json', '[{'],
    ['json', '[1]'],
    ['merge', '"x"'],
    ['merge', '[]'],
    ['merge', 'null'],
    ['strategic', '[]'],
    ['strategic', '{'],
    ['strategic', '{"metadata":{"labels":{"$patch":"foo"}}}'],
    ['strategic', '{"spec":{"selector":{"$retainKeys":["app"],"tier":"x"}}}'],
    ['strategic', '{"spec":{"ports":[{"name":"zz"}]}}'],
  ]);
  return { kind, name, body, fieldManager: 'carol' };
}

function nextStep(rng: Rng, name: string, live: JsonObject | undefined): Step {
  if (!live) {
    if (rng.chance(0.5))
      return {
        kind: 'create',
        name,
        body: JSON.stringify(creationBody(rng, name)),
        fieldManager: rng.pick(['creator', undefined]),
      };
    const config = appliedConfig(rng, name);
    return {
      kind: 'apply',
      name,
      body: rng.chance(0.5) ? toYaml(config) : JSON.stringify(config),
      fieldManager: rng.pick(['alice', 'bob']),
    };
  }
  const updater = rng.pick(['carol', 'dave', undefined]);
  if (rng.chance(0.05)) {
    // The load balancer controller's status write (PUT …/status: managedFields of the live object only).
    const ingress = someOf(rng, ['192.0.2.10', '192.0.2.11'], 1).map((ip) => ({ ip }));
    return {
      kind: 'status',
      name,
      body: JSON.stringify({ ...live, status: { loadBalancer: { ingress } } }),
      fieldManager: rng.pick(['lb-controller', undefined]),
    };
  }
  if (rng.chance(0.04)) return oddApply(rng, name);
  if (rng.chance(0.04)) return oddPatch(rng, name);
  if (rng.chance(0.06)) {
    // A replace (PUT) of what was read, a label changed; with or without the managedFields it read.
    const body = structuredClone(live) as any;
    body.metadata.labels = { ...body.metadata.labels, [rng.pick(LABELS)]: rng.pick(VALUES) };
    if (rng.chance(0.5)) delete body.metadata.managedFields;
    return { kind: 'replace', name, body: JSON.stringify(body), fieldManager: updater };
  }
  switch (rng.int(5)) {
    case 0:
      return { kind: 'json', name, body: JSON.stringify(jsonPatch(rng, live)), fieldManager: updater };
    case 1:
      return { kind: 'merge', name, body: JSON.stringify(mergePatch(rng)), fieldManager: updater };
    case 2:
      return { kind: 'strategic', name, body: JSON.stringify(strategicPatch(rng, live)), fieldManager: updater };
    default: {
      const config = appliedConfig(rng, name);
      return {
        kind: 'apply',
        name,
        body: rng.chance(0.5) ? toYaml(config) : JSON.stringify(config),
        fieldManager: rng.pick(['alice', 'bob']),
        force: rng.chance(0.3),
      };
    }
  }
}

/** The newest managedFields time in an answer: the real server's clock at this write, the engines' `time`. */
function serverTime(body: any, fallback: string): string {
  const times = ((body?.metadata?.managedFields ?? []) as ManagedFieldsEntry[]).map((e) => e.time ?? '').sort();
  return times[times.length - 1] || fallback;
}

/** One kept-alive TLS connection for the series (contract's send() opens one per request, too slow for hundreds). */
function keepAliveSender(target: Target) {
  const url = new URL(target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: target.ca });
  const sendOne = (req: RawRequest) =>
    new Promise<RawResponse>((resolve, reject) => {
      const headers = {
        ...req.headers,
        ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
      };
      const r = httpsRequest(
        { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      r.setTimeout(20_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.path}`)));
      r.on('error', reject);
      r.end(req.body);
    });
  return { send: sendOne, close: () => agent.destroy() };
}

describe.skipIf(!server)('patch engines vs kube-apiserver', () => {
  let target: Target;
  let auth: Record<string, string>;

  beforeAll(async () => {
    if (!server) return;
    target = { url: server.url, ca: readFileSync(server.servingCa) };
    auth = { authorization: `Bearer ${server.adminToken}` };
    const ns = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    const res = await send(target, {
      method: 'POST',
      path: '/api/v1/namespaces',
      headers: { ...auth, 'content-type': 'application/json' },
      body: ns,
    });
    expect([201, 409]).toContain(res.status);
  });

  afterAll(async () => {
    if (!server) return;
    // Finalizers would hold the Services (and the namespace) forever: clear them, then delete the namespace.
    for (const name of SERVICES) {
      const path = `/api/v1/namespaces/${NAMESPACE}/services/${name}`;
      const body = JSON.stringify({ metadata: { finalizers: null } });
      await send(target, {
        method: 'PATCH',
        path,
        headers: { ...auth, 'content-type': 'application/merge-patch+json' },
        body,
      });
    }
    await send(target, { method: 'DELETE', path: `/api/v1/namespaces/${NAMESPACE}`, headers: auth });
  });

  it(`predicts the real server's answers to ${STEPS} random writes (seed ${SEED})`, async () => {
    const rng = random(SEED);
    const client = keepAliveSender(target);
    const live = new Map<string, JsonObject>();
    const mismatches: string[] = [];
    const counts: Record<string, number> = {};
    const started = performance.now();
    const dumps: unknown[] = [];
    let predictMs = 0;
    for (let i = 0; i < STEPS; i++) {
      const name = rng.pick(SERVICES);
      const before = live.get(name);
      const step = nextStep(rng, name, before);
      const res = await client.send({ ...request(step), headers: { ...request(step).headers, ...auth } });
      const body = JSON.parse(res.body);
      const predictStart = performance.now();
      const predicted = predict(step, before, serverTime(body, new Date().toISOString()));
      predictMs += performance.now() - predictStart;
      counts[`${step.kind} ${res.status}`] = (counts[`${step.kind} ${res.status}`] ?? 0) + 1;
      // Validation of the patched Service (duplicate ports, no ports left) is the write path's, not the engines':
      // a series that breaks it is counted, and the real server's (unchanged) object stays the state.
      if (
        res.status === 422 &&
        predicted.status === 200 &&
        String(body.message).startsWith(`Service "${name}" is invalid:`)
      ) {
        counts['refused by validation'] = (counts['refused by validation'] ?? 0) + 1;
        continue;
      }
      const actual: Prediction = { status: res.status };
      if (res.status < 300) {
        actual.object = normalise(body) as JsonObject;
        actual.managedFields = entries(body.metadata?.managedFields);
        live.set(name, body);
      } else {
        actual.reason = body.reason ?? '';
        actual.message = body.message;
        actual.causes = body.details?.causes;
      }
      const expected: Prediction = { status: predicted.status };
      if (predicted.status < 300) {
        expected.object = normalise(predicted.object) as JsonObject;
        expected.managedFields = entries(predicted.managedFields);
      } else {
        expected.reason = predicted.reason;
        expected.message = predicted.message;
        expected.causes = predicted.causes;
      }
      // A patched document the Go types cannot decode: the real message quotes json-iterator's
      // words and the document as Go re-encoded it; the mock's is shorter (a declared difference).
      for (const p of [expected, actual]) {
        if (p.message?.startsWith(DECODE_FAILURE)) {
          p.message = DECODE_FAILURE;
          p.causes = p.causes?.map((c: any) => ({ ...c, message: undefined }));
        }
      }
      const sortCauses = (p: Prediction) => p.causes && (p.causes as any[]).map((c) => JSON.stringify(c)).sort();
      if (
        canonical({ ...expected, causes: sortCauses(expected) }) !==
        canonical({ ...actual, causes: sortCauses(actual) })
      ) {
        expect
          .soft(
            { ...actual, causes: sortCauses(actual) },
            `step ${i}: ${step.kind} ${name} ${step.body} (manager ${step.fieldManager})`,
          )
          .toEqual({
            ...expected,
            causes: sortCauses(expected),
          });
        mismatches.push(`step ${i} ${step.kind}`);
        // PATCH_ENGINES_DUMP=file.json keeps each mismatch whole (the diff above is cut short).
        if (process.env.PATCH_ENGINES_DUMP) dumps.push({ step: i, request: step, live: before, expected, actual });
        if (mismatches.length >= 5) break;
      }
    }
    client.close();
    if (process.env.PATCH_ENGINES_DUMP)
      writeFileSync(process.env.PATCH_ENGINES_DUMP, `${JSON.stringify(dumps, null, 1)}\n`);
    console.log(
      `patch engines: ${STEPS} random writes (seed ${SEED}) in ${Math.round(performance.now() - started)} ms (engines ${Math.round(predictMs)} ms): ${JSON.stringify(counts)}`,
    );
    expect(mismatches).toEqual([]);
  });
});
