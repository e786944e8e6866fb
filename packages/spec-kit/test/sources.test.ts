// Source folders as declarations: what loadSources accepts, what it refuses, and the old layout.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSharedDeviations, loadSources } from '@cci-openapi/spec-kit';

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'spec-kit-sources-')));

describe('loadSources', () => {
  it('reads one folder per source, in name order, with its deviations', () => {
    fresh();
    write(
      'upstream/source.yaml',
      'kind: kubernetes-swagger\ndocument: k8s.json\noperations: [readCoreV1NamespacedService]\n',
    );
    write('upstream/k8s.json', '{"paths": {}, "definitions": {}}');
    write('cci-page/source.yaml', 'kind: cci-page\ndocument: page.txt\n');
    write('cci-page/page.txt', 'GET /x\n');
    write('cci-page/deviations.yaml', '- field: X\n  aspect: added\n  spec: schema\n  why: because\n');
    const sources = loadSources(dir);
    expect(sources.map((source) => [source.name, source.declaration.kind, source.deviations.length])).toEqual([
      ['cci-page', 'cci-page', 1],
      ['upstream', 'kubernetes-swagger', 0],
    ]);
  });

  it('reads a tree from before source folders as one cci-page source', () => {
    fresh();
    write('read-service-status.zh-CN.txt', 'GET /x\n');
    write('deviations.yaml', '[]\n');
    expect(loadSources(dir).map((source) => [source.name, source.declaration])).toEqual([
      ['cci-page', { kind: 'cci-page', document: 'read-service-status.zh-CN.txt' }],
    ]);
  });

  it.each([
    ['an unknown kind', 'kind: wiki\ndocument: a.txt\n', /unknown kind "wiki"/],
    ['a missing document name', 'kind: cci-page\n', /"document" .* is required/],
    [
      'a swagger source without operations',
      'kind: kubernetes-swagger\ndocument: a.txt\n',
      /"operations" must list the operationIds/,
    ],
    ['a document that is not there', 'kind: cci-page\ndocument: missing.txt\n', /document missing\.txt is not in/],
  ])('refuses %s, naming the file', (_name, declaration, message) => {
    fresh();
    write('a/source.yaml', declaration);
    write('a/a.txt', 'x');
    expect(() => loadSources(dir)).toThrow(message);
    expect(() => loadSources(dir)).toThrow(/source\.yaml/);
  });

  it('refuses a deviations.yaml that is not a list', () => {
    fresh();
    write('a/source.yaml', 'kind: cci-page\ndocument: a.txt\n');
    write('a/a.txt', 'x');
    write('a/deviations.yaml', 'field: X\n');
    expect(() => loadSources(dir)).toThrow(/deviations\.yaml: expected a list of declarations/);
  });

  it('reads the shared declarations next to the folders, none when there is no file, and refuses a non-list', () => {
    fresh();
    expect(loadSharedDeviations(dir)).toEqual([]);
    write(
      'shared-deviations.yaml',
      '- field: responses.NotFound\n  aspect: added\n  spec: response 404\n  why: gateway\n',
    );
    expect(loadSharedDeviations(dir)).toEqual([
      { field: 'responses.NotFound', aspect: 'added', spec: 'response 404', why: 'gateway' },
    ]);
    // Not a source folder: loadSources ignores it.
    expect(loadSources(dir)).toEqual([]);
    write('shared-deviations.yaml', 'field: X\n');
    expect(() => loadSharedDeviations(dir)).toThrow(/shared-deviations\.yaml: expected a list of declarations/);
  });
});
