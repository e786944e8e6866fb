// The contract's own machinery, without a server: what it compares, how differences are matched
// to declarations, and that differences.yaml itself is well formed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractCases, getOperations } from '../src/cases.js';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff } from '../src/diff.js';
import { comparable, dropAgeColumn } from '../src/kubectl.js';
import { bundledSpec, creationBody, mockFixtureServices } from '../src/seed.js';
import { splitJsonStream, viewOf } from '../src/view.js';

const scratch = mkdtempSync(join(tmpdir(), 'cci-contract-machinery-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function declarationsFrom(yaml: string) {
  const file = join(scratch, `d${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return loadDeclarations(file);
}

describe('diff', () => {
  it('names every place two answers differ, and nothing else', () => {
    expect(diff({ a: 1, b: { c: [1, 2], d: 'x' } }, { a: 1, b: { c: [1, 3], e: 'y' } })).toEqual([
      { path: 'b.c[1]', real: 2, mock: 3 },
      { path: 'b.d', real: 'x', mock: undefined },
      { path: 'b.e', real: undefined, mock: 'y' },
    ]);
    expect(diff({ a: [1] }, { a: [1, 2] })).toEqual([{ path: 'a', real: [1], mock: [1, 2] }]);
    expect(diff({ a: null }, { a: null })).toEqual([]);
  });
});

describe('the view of an answer', () => {
  const answer = (body: string, contentType = 'application/json', status = 200) => ({
    status,
    headers: { 'content-type': contentType },
    body,
  });

  it('drops only what a server sets, and keys list items by namespace/name', () => {
    const list = {
      kind: 'ServiceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '9', continue: 'abc' },
      items: [{ metadata: { name: 'b', namespace: 'n', uid: 'u', labels: { x: 'y' } } }],
    };
    const view = viewOf(answer(`${JSON.stringify(list)}\n`));
    expect(view).toEqual({
      status: 200,
      contentType: 'application/json',
      layout: 'compact',
      finalNewline: true,
      body: {
        kind: 'ServiceList',
        apiVersion: 'v1',
        metadata: { continue: '<continue token>' },
        order: ['n/b'],
        items: { 'n/b': { metadata: { name: 'b', namespace: 'n', labels: { x: 'y' } } } },
      },
    });
    expect(viewOf(answer(JSON.stringify(list, null, 2))).layout).toBe('indented');
  });

  it('reads YAML, replaces Table ages, and keeps a text body as text', () => {
    expect(viewOf(answer('kind: Service\nmetadata:\n  name: a\n  uid: x\n', 'application/yaml')).body).toEqual({
      kind: 'Service',
      metadata: { name: 'a' },
    });
    const table = {
      kind: 'Table',
      columnDefinitions: [{ name: 'Name' }, { name: 'Age' }],
      rows: [{ cells: ['a', '5s'] }],
    };
    expect((viewOf(answer(JSON.stringify(table))).body as any).rows[0].cells).toEqual(['a', '<age>']);
    expect(viewOf(answer('400 Bad Request', 'text/plain; charset=utf-8', 400))).toMatchObject({
      contentType: 'text/plain;charset=utf-8',
      body: '400 Bad Request',
    });
  });

  it('splits a watch stream with or without newlines and sorts its events', () => {
    const event = (name: string) =>
      JSON.stringify({ type: 'ADDED', object: { metadata: { name, namespace: 'n', resourceVersion: '1' } } });
    expect(splitJsonStream(`${event('b')}${event('a')}\n`)).toHaveLength(2);
    expect(splitJsonStream('{"s":"}{\\"x"}')).toEqual([{ s: '}{"x' }]);
    expect(() => splitJsonStream('{"a":')).toThrow();
    const view = viewOf(answer(`${event('b')}\n${event('a')}\n`), true);
    expect((view.body as any).order).toEqual(['ADDED n/a', 'ADDED n/b']);
  });
});

describe('declared differences', () => {
  const declarations = declarationsFrom(`
- id: one
  reason: a reason that is a whole sentence long
  cases: ['op *']
  paths: [body.details, '*finalNewline']
`);

  it('covers a path and what is below it, for the cases named', () => {
    expect(declarations.match('op x', 'body.details')?.id).toBe('one');
    expect(declarations.match('op x', 'body.details.name')?.id).toBe('one');
    expect(declarations.match('op x', '[2].finalNewline')?.id).toBe('one');
    expect(declarations.match('op x', 'body.detailsX')).toBeUndefined();
    expect(declarations.match('other x', 'body.details')).toBeUndefined();
  });

  it('fails an undeclared difference and a declaration nothing needs', () => {
    const ledger = new DifferenceLedger(declarations, ['op a', 'op b']);
    expect(ledger.record('op a', [{ path: 'status' }])).toEqual([{ path: 'status' }]);
    expect(ledger.complete()).toBe(false);
    ledger.record('op b', []);
    expect(ledger.complete()).toBe(true);
    expect(ledger.stale()).toEqual(['one: a reason that is a whole sentence long']);
    ledger.record('op b', [{ path: 'body.details' }]);
    expect(ledger.stale()).toEqual([]);
  });

  it('refuses an entry without a reason, and a duplicate id', () => {
    expect(() => declarationsFrom("- {id: x, reason: short, cases: ['*'], paths: [status]}")).toThrow(/reason/);
    expect(() =>
      declarationsFrom('- {id: x, reason: a reason long enough to count, cases: [], paths: [status]}'),
    ).toThrow(/cases/);
    const twice = "- {id: x, reason: a reason long enough to count, cases: ['*'], paths: [status]}\n";
    expect(() => declarationsFrom(twice + twice)).toThrow(/twice/);
  });

  it('differences.yaml is well formed', () => {
    const list = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname).list;
    expect(list.length).toBeGreaterThan(0);
  });
});

describe('the cases', () => {
  const spec = bundledSpec();
  const seeds = mockFixtureServices();

  it('come from every GET operation of the bundled spec, with unique ids', () => {
    const operations = getOperations(spec);
    const cases = contractCases(spec, seeds);
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(cases.some((c) => c.operationId === op.operationId)).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('follow the spec: a new operation brings its own cases', () => {
    const extended = structuredClone(spec);
    extended.paths['/api/v1/namespaces/{namespace}/services/{name}/proxy'] = {
      get: {
        operationId: 'connectCoreV1GetNamespacedServiceProxy',
        parameters: [
          { name: 'namespace', in: 'path' },
          { name: 'name', in: 'path' },
        ],
        responses: {},
      },
    };
    const cases = contractCases(extended, seeds).filter(
      (c) => c.operationId === 'connectCoreV1GetNamespacedServiceProxy',
    );
    expect(cases.map((c) => c.path)).toContain('/api/v1/namespaces/namespace-test/services/nope/proxy');
  });

  it('seed each fixture without the fields only a server sets', () => {
    for (const seed of seeds) {
      const body = creationBody(seed) as any;
      expect(body.status).toBeUndefined();
      expect(body.metadata.uid ?? body.metadata.resourceVersion ?? body.metadata.creationTimestamp).toBeUndefined();
      expect(body.spec).toEqual(seed.spec);
    }
  });
});

describe('kubectl output', () => {
  it('drops the AGE column and nothing else', () => {
    const table = 'NAME    TYPE        CLUSTER-IP   AGE\nredis   ClusterIP   10.0.0.1     5d\n';
    expect(dropAgeColumn(table)).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'AGE'],
      ['redis', 'ClusterIP', '10.0.0.1', '<age>'],
    ]);
    expect(
      comparable({ exitCode: 0, stdout: '{"metadata":{"name":"a","uid":"u"}}', stderr: '' }, 'json').stdout,
    ).toEqual({ metadata: { name: 'a' } });
  });
});
