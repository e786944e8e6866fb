// The contract: the same requests to a real kube-apiserver and to the mock, answer by answer.
// Every difference must be declared in differences.yaml with its reason, and every declared
// difference must still occur.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { contractCases } from '../src/cases.js';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff, type Difference } from '../src/diff.js';
import { runCase, type Party } from '../src/run-case.js';
import { sendJson } from '../src/http.js';
import { bundledSpec, creationBodyWithStatus, mockFixtureServices } from '../src/seed.js';

const server = inject('realServer');
const declarations = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname);
const seeds = mockFixtureServices();
const cases = contractCases(bundledSpec(), seeds);

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

describe.skipIf(!server)('contract: mock vs kube-apiserver', () => {
  let mock: MockServer;
  let real: Party;
  let mockParty: Party;
  const ledger = new DifferenceLedger(
    declarations,
    cases.map((c) => c.id),
  );

  beforeAll(async () => {
    if (!server) return;
    const tokens = { admin: server.adminToken, reader: server.readerToken };
    real = { name: 'real', target: { url: server.url, ca: readFileSync(server.servingCa) }, tokens };
    // The mock keeps its own fixtures (the same Services); it learns the same two tokens.
    // Anonymous requests allowed, as kube-apiserver's default (--anonymous-auth=true): they get 403, not 401.
    // The kube profile: the contract compares the mock with kube-apiserver itself, not with CCI's gateway.
    mock = await startMockServer({
      profile: 'kube',
      port: 0,
      anonymousAuth: true,
      tokens: [tokens.admin, { token: tokens.reader, namespaces: [], user: 'reader' }],
    });
    mockParty = { name: 'mock', target: { url: mock.url }, tokens };
    // Every kube-apiserver creates default/kubernetes for itself; the mock gets the same object
    // through its store, so that both hold the same Services.
    const own = await sendJson(
      real.target,
      { path: '/api/v1/namespaces/default/services/kubernetes', headers: { authorization: `Bearer ${tokens.admin}` } },
      [200],
    );
    mock.store.apply(creationBodyWithStatus(own));
  });
  const observed: Record<string, Difference[]> = {};
  afterAll(async () => {
    await mock?.close();
    // CONTRACT_REPORT=file.json keeps every observed difference, declared or not, for review.
    if (process.env.CONTRACT_REPORT)
      writeFileSync(process.env.CONTRACT_REPORT, `${JSON.stringify(observed, null, 2)}\n`);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const [realView, mockView] = await Promise.all([runCase(real, c), runCase(mockParty, c)]);
    // A case that names its status checks that the real server answers it (the case means what it says).
    const named = /\((\d{3})\)$/.exec(c.id)?.[1];
    if (named)
      expect((Array.isArray(realView) ? realView[0] : realView)?.status, `the real server's status for ${c.id}`).toBe(
        Number(named),
      );
    const differences = diff(realView, mockView);
    if (differences.length > 0) observed[c.id] = differences;
    const undeclared = ledger.record(c.id, differences);
    expect(
      undeclared.map((d) => `${d.path || '(answer)'}: real ${show(d.real)} | mock ${show(d.mock)}`),
      `undeclared differences (fix the mock or declare them in contract/differences.yaml)`,
    ).toEqual([]);
  });

  it('declares only differences that still occur', (ctx) => {
    // Only meaningful after every case ran (not under a -t filter).
    if (!ledger.complete()) ctx.skip();
    expect(
      ledger.stale(),
      'declared differences that no longer occur: remove them from contract/differences.yaml',
    ).toEqual([]);
  });
});
