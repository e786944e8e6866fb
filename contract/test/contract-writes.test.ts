// The write contract: every case of src/write-cases.ts against a real kube-apiserver and the mock,
// answer by answer. The cases run on a kube-apiserver of their own (not the run's shared one), so
// the read suite's Services, lists and watches never see them; each case has a namespace of its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff, type Difference } from '../src/diff.js';
import { send, sendJson } from '../src/http.js';
import { startRealServer, stopRealServer, type RealServerInfo } from '../src/real-server.js';
import type { Party } from '../src/run-case.js';
import { writeCases } from '../src/write-cases.js';
import { normaliseObject, splitJsonStream } from '../src/view.js';
import { normaliseServerChoices, runWriteCase } from '../src/write-run.js';

const built = inject('realServer') !== null;
const declarations = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname);
const cases = writeCases();
const namespaceOf = (index: number) => `write-${index}`;
const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value)?.slice(0, 400));

describe.skipIf(!built)('contract: writes, mock vs kube-apiserver', () => {
  let server: RealServerInfo;
  let mock: MockServer;
  let real: Party;
  let mockParty: Party;
  const ledger = new DifferenceLedger(
    declarations,
    cases.map((c) => c.id),
  );
  const observed: Record<string, Difference[]> = {};

  beforeAll(async () => {
    server = await startRealServer();
    const tokens = { admin: server.adminToken, reader: server.readerToken };
    real = { name: 'real', target: { url: server.url, ca: readFileSync(server.servingCa) }, tokens };
    const namespaces = [...cases.map((_, i) => namespaceOf(i)), 'write-watch'];
    for (const name of namespaces.filter((n) => n !== 'write-watch')) {
      await sendJson(
        real.target,
        {
          method: 'POST',
          path: '/api/v1/namespaces',
          headers: { authorization: `Bearer ${tokens.admin}` },
          body: JSON.stringify({ metadata: { name } }),
        },
        [201],
      );
    }
    mock = await startMockServer({
      profile: 'kube',
      port: 0,
      anonymousAuth: true,
      fixtures: [],
      namespaces,
      tokens: [tokens.admin, { token: tokens.reader, namespaces: [], user: 'reader' }],
    });
    mockParty = { name: 'mock', target: { url: mock.url }, tokens };
  });
  afterAll(async () => {
    await mock?.close();
    if (server) await stopRealServer(server);
    if (process.env.CONTRACT_REPORT)
      writeFileSync(process.env.CONTRACT_REPORT, `${JSON.stringify(observed, null, 2)}\n`);
  });

  it.each(cases.map((c, i) => [c.id, c, i] as const))('%s', async (_id, c, index) => {
    const namespace = namespaceOf(index);
    const [realAnswers, mockAnswers] = await Promise.all([
      runWriteCase(real, c, namespace),
      runWriteCase(mockParty, c, namespace),
    ]);
    const named = /\((\d{3})\)$/.exec(c.id)?.[1];
    if (named) expect(realAnswers[0]?.view.status, `the real server's status for ${c.id}`).toBe(Number(named));
    const differences = realAnswers.flatMap((answer, i) =>
      diff(answer.view, mockAnswers[i]?.view).map((d) => ({ ...d, path: i === 0 ? d.path : `then[${i}].${d.path}` })),
    );
    if (differences.length > 0) observed[c.id] = differences;
    const undeclared = ledger.record(c.id, differences);
    expect(
      undeclared.map((d) => `${d.path || '(answer)'}: real ${show(d.real)} | mock ${show(d.mock)}`),
      'undeclared differences (fix the mock or declare them in contract/differences.yaml)',
    ).toEqual([]);
  });

  it('a watch on metadata.name sees the same ADDED, MODIFIED and DELETED events', async () => {
    const namespace = 'write-watch';
    const path = `/api/v1/namespaces/${namespace}/services`;
    const auth = {
      authorization: `Bearer ${real.tokens.admin}`,
      accept: 'application/json',
      'content-type': 'application/json',
    };
    const events = async (party: Party) => {
      const watch = send(party.target, {
        path: `${path}?watch=1&fieldSelector=metadata.name%3Dwatched&timeoutSeconds=3`,
        headers: auth,
        timeoutMs: 20_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const body = (value: unknown) => JSON.stringify(value);
      await send(party.target, {
        method: 'POST',
        path,
        headers: auth,
        body: body({ metadata: { name: 'other' }, spec: { ports: [{ port: 80 }] } }),
      });
      await send(party.target, {
        method: 'POST',
        path,
        headers: auth,
        body: body({ metadata: { name: 'watched' }, spec: { ports: [{ port: 80 }] } }),
      });
      await send(party.target, {
        method: 'POST',
        path: `${path}?dryRun=All`,
        headers: auth,
        body: body({ metadata: { name: 'watched-dry' }, spec: { ports: [{ port: 80 }] } }),
      });
      await send(party.target, {
        method: 'PATCH',
        path: `${path}/watched`,
        headers: { ...auth, 'content-type': 'application/merge-patch+json' },
        body: body({ metadata: { labels: { w: '1' } } }),
      });
      await send(party.target, { method: 'DELETE', path: `${path}/watched`, headers: auth });
      const answer = await watch;
      return splitJsonStream(answer.body).map((event: any) => {
        const object = normaliseObject(event.object);
        normaliseServerChoices(object, '');
        return { type: event.type, object };
      });
    };
    await sendJson(
      real.target,
      {
        method: 'POST',
        path: '/api/v1/namespaces',
        headers: auth,
        body: JSON.stringify({ metadata: { name: namespace } }),
      },
      [201],
    );
    const [realEvents, mockEvents] = await Promise.all([events(real), events(mockParty)]);
    expect(realEvents.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(mockEvents).toEqual(realEvents);
  });

  it('declares only differences that still occur', (ctx) => {
    if (!ledger.complete()) ctx.skip();
    expect(
      ledger.stale(),
      'declared differences that no longer occur: remove them from contract/differences.yaml',
    ).toEqual([]);
  });
});
