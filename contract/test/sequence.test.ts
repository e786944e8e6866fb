// A seeded random series of writes (creates, replaces, patches, deletes, status updates, with fresh
// and stale resourceVersions) sent to a real kube-apiserver and to the mock: the same status at
// every step, and the same Services at the end (normalised). SEQUENCE_SEED=<n> replays a series;
// the seed is printed. Runs on a kube-apiserver of its own, as the write contract does.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { send, sendJson } from '../src/http.js';
import { startRealServer, stopRealServer, type RealServerInfo } from '../src/real-server.js';
import type { Party } from '../src/run-case.js';
import { normaliseObject } from '../src/view.js';
import { normaliseServerChoices } from '../src/write-run.js';
// The mock's seeded generator (mulberry32), so a failing series can be replayed from its seed.
import { seededRandom } from '../../packages/mock-server/src/faults.js';

const built = inject('realServer') !== null;
const SEED = Number(process.env.SEQUENCE_SEED ?? Date.now() % 1_000_000);
const STEPS = 200;
const NAMESPACE = 'sequence';
const NAMES = ['s-a', 's-b', 's-c', 's-d', 's-e'];
const BASE = `/api/v1/namespaces/${NAMESPACE}/services`;

/** One logical step; `request` builds the HTTP request from what this server has answered so far. */
interface Step {
  label: string;
  request: (memory: Memory) => { method: string; path: string; body?: string; contentType?: string };
}
/** Per server: the objects last seen and every resourceVersion it gave each name. */
interface Memory {
  last: Map<string, any>;
  versions: Map<string, string[]>;
}

function randomSteps(random: () => number): Step[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer'];
  const spec = () => {
    const type = pick(types);
    const ports = pick([
      [{ name: 'http', port: 80 }],
      [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
      [{ name: 'dns', port: 53, protocol: 'UDP' }],
    ]);
    return { type, ports, ...(random() < 0.5 && { selector: { app: pick(['web', 'db']) } }) };
  };
  const current = (memory: Memory, name: string) =>
    structuredClone(memory.last.get(name) ?? { metadata: { name }, spec: spec() });
  const stale = (memory: Memory, name: string) => memory.versions.get(name)?.[0] ?? '1';
  const steps: Step[] = [];
  for (let i = 0; i < STEPS; i++) {
    const name = pick(NAMES);
    const action = pick([
      'create',
      'create',
      'create-dry',
      'replace',
      'replace-stale',
      'merge',
      'json',
      'strategic',
      'merge-stale',
      'apply',
      'status',
      'delete',
      'delete-stale',
      'delete-dry',
      'invalid',
    ]);
    const s = spec();
    const labels = { step: String(i) };
    const manager = pick(['alice', 'bob']);
    const force = random() < 0.5;
    const json = (value: unknown) => JSON.stringify(value);
    const request: Step['request'] = (memory) => {
      switch (action) {
        case 'create':
          return {
            method: 'POST',
            path: BASE,
            body: json({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: s }),
          };
        case 'replace':
        case 'replace-stale': {
          const object = current(memory, name);
          object.metadata.labels = labels;
          object.spec.ports = s.ports;
          if (action === 'replace-stale') object.metadata.resourceVersion = stale(memory, name);
          return { method: 'PUT', path: `${BASE}/${name}`, body: json(object) };
        }
        case 'create-dry':
          return { method: 'POST', path: `${BASE}?dryRun=All`, body: json({ metadata: { name, labels }, spec: s }) };
        case 'apply':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}?fieldManager=${manager}${force ? '&force=true' : ''}`,
            contentType: 'application/apply-patch+yaml',
            body: json({
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name, labels },
              spec: { ports: s.ports.map((p) => ({ protocol: 'TCP', ...p })) },
            }),
          };
        case 'delete-dry':
          return { method: 'DELETE', path: `${BASE}/${name}?dryRun=All` };
        case 'merge':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}`,
            contentType: 'application/merge-patch+json',
            body: json({ metadata: { labels }, spec: { type: s.type } }),
          };
        case 'merge-stale':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}`,
            contentType: 'application/merge-patch+json',
            body: json({ metadata: { labels, resourceVersion: stale(memory, name) } }),
          };
        case 'json':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}`,
            contentType: 'application/json-patch+json',
            body: json([{ op: 'add', path: '/metadata/labels', value: labels }]),
          };
        case 'strategic':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}`,
            contentType: 'application/strategic-merge-patch+json',
            body: json({ spec: { ports: [{ name: 'extra', port: 8080 }] } }),
          };
        case 'status':
          return {
            method: 'PATCH',
            path: `${BASE}/${name}/status`,
            contentType: 'application/merge-patch+json',
            body: json({ status: { loadBalancer: { ingress: [{ ip: `192.0.2.${i % 250}` }] } } }),
          };
        case 'delete':
          return { method: 'DELETE', path: `${BASE}/${name}` };
        case 'delete-stale':
          return {
            method: 'DELETE',
            path: `${BASE}/${name}`,
            body: json({ preconditions: { resourceVersion: stale(memory, name) } }),
          };
        default:
          return { method: 'POST', path: BASE, body: json({ metadata: { name }, spec: { ports: [{ port: 0 }] } }) };
      }
    };
    steps.push({ label: `${i} ${action} ${name}`, request });
  }
  return steps;
}

async function runStep(party: Party, memory: Memory, step: Step): Promise<{ status: number; message?: string }> {
  const req = step.request(memory);
  const res = await send(party.target, {
    method: req.method,
    path: req.path,
    headers: {
      authorization: `Bearer ${party.tokens.admin}`,
      accept: 'application/json',
      'content-type': req.contentType ?? 'application/json',
    },
    ...(req.body !== undefined && { body: req.body }),
  });
  const answer = JSON.parse(res.body);
  const name = answer?.kind === 'Service' ? answer.metadata?.name : undefined;
  if (name && res.status < 300) {
    memory.last.set(name, answer);
    memory.versions.set(name, [...(memory.versions.get(name) ?? []), answer.metadata.resourceVersion]);
  }
  if (req.method === 'DELETE' && res.status === 200) memory.last.delete(req.path.split('/').at(-1) as string);
  return { status: res.status, ...(typeof answer?.message === 'string' && { message: answer.message }) };
}

async function finalObjects(party: Party): Promise<unknown> {
  const list = await sendJson(
    party.target,
    { path: BASE, headers: { authorization: `Bearer ${party.tokens.admin}` } },
    [200],
  );
  const body = normaliseObject(list) as any;
  for (const item of Object.values(body.items ?? {})) normaliseServerChoices(item, '');
  delete body.metadata;
  return body;
}

describe.skipIf(!built)(`sequence: ${STEPS} random writes (seed ${SEED}), mock vs kube-apiserver`, () => {
  let server: RealServerInfo;
  let mock: MockServer;
  let real: Party;
  let mockParty: Party;

  beforeAll(async () => {
    console.log(`sequence: seed ${SEED} (replay with SEQUENCE_SEED=${SEED})`);
    server = await startRealServer();
    const tokens = { admin: server.adminToken, reader: server.readerToken };
    real = { name: 'real', target: { url: server.url, ca: readFileSync(server.servingCa) }, tokens };
    await sendJson(
      real.target,
      {
        method: 'POST',
        path: '/api/v1/namespaces',
        headers: { authorization: `Bearer ${tokens.admin}` },
        body: JSON.stringify({ metadata: { name: NAMESPACE } }),
      },
      [201],
    );
    mock = await startMockServer({ profile: 'kube', fixtures: [], namespaces: [NAMESPACE], tokens: [tokens.admin] });
    mockParty = { name: 'mock', target: { url: mock.url }, tokens };
  });
  afterAll(async () => {
    await mock?.close();
    if (server) await stopRealServer(server);
  });

  it('answers every step with the same status and ends with the same Services', async () => {
    const steps = randomSteps(seededRandom(SEED));
    const memories = { real: { last: new Map(), versions: new Map() }, mock: { last: new Map(), versions: new Map() } };
    const statuses: string[] = [];
    const mismatches: string[] = [];
    for (const step of steps) {
      const [r, m] = await Promise.all([runStep(real, memories.real, step), runStep(mockParty, memories.mock, step)]);
      statuses.push(`${step.label}: ${r.status}`);
      if (r.status !== m.status)
        mismatches.push(`${step.label}: real ${r.status} ${r.message ?? ''}, mock ${m.status} ${m.message ?? ''}`);
    }
    const histogram: Record<string, number> = {};
    for (const line of statuses) {
      const [label = '', status = ''] = line.split(': ');
      const key = `${label.split(' ')[1]} ${status}`;
      histogram[key] = (histogram[key] ?? 0) + 1;
    }
    console.log(`sequence (seed ${SEED}): ${JSON.stringify(histogram)}`);
    expect(mismatches, `seed ${SEED}`).toEqual([]);
    expect(await finalObjects(mockParty), `seed ${SEED}`).toEqual(await finalObjects(real));
    // The series exercised more than one answer.
    expect(new Set(statuses.map((s) => s.split(': ')[1])).size).toBeGreaterThan(3);
  });
});
