import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSource } from '../src/auth/token-source.js';
import type { OperationDescriptor } from '../src/operation/descriptor.js';
import { createCciContext } from '../src/client/context.js';
import { CciApiError, CciInputError } from '../src/errors/classes.js';
import { createLimiter } from '../src/transport/limiter.js';
import { createOperation, type OperationCall } from '../src/operation/operation.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { NO_RETRY } from '../src/transport/retry-policy.js';
import { createTransport } from '../src/transport/transport.js';
import { createFetchWire } from '../src/wire/fetch-wire.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';

// scripts/generate-client.mjs on a small spec of its own, with several operations of different
// forms, then the generated table driven through the client's real runtime against a real server.

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const generator = join(packageDir, '..', '..', 'scripts', 'generate-client.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'cci-generate-client-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const query = (name: string, type: string, required = false) => ({ name, in: 'query', required, schema: { type } });

function fixtureSpec() {
  return {
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1' },
    paths: {
      '/apis/widgets/v1/groups/{group}/widgets/{name}': {
        parameters: [{ $ref: '#/components/parameters/group' }],
        get: {
          operationId: 'readWidget',
          summary: 'Read a widget',
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
            query('count', 'integer', true),
            query('verbose', 'boolean'),
          ],
          responses: {
            '200': { description: 'OK', content: json(ref('Widget')) },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/apis/widgets/v1/widgets': {
        get: {
          operationId: 'listWidgets',
          parameters: [query('labelSelector', 'string'), query('watch', 'boolean'), query('ratio', 'number')],
          responses: {
            '200': {
              description: 'OK',
              content: { ...json(ref('WidgetList')), 'application/json;stream=watch': { schema: ref('WatchEvent') } },
            },
          },
        },
      },
      '/ping': { get: { operationId: 'ping', responses: { '204': { description: 'no content' } } } },
      '/config': {
        get: {
          operationId: 'readConfig',
          responses: {
            '200': {
              description: 'OK',
              content: json({ type: 'object', properties: { entries: { type: 'array', items: { type: 'object' } } } }),
            },
          },
        },
      },
    },
    components: {
      parameters: { group: { name: 'group', in: 'path', required: true, schema: { type: 'string' } } },
      responses: { NotFound: { description: 'not found', content: json(ref('Status')) } },
      schemas: {
        Widget: {
          type: 'object',
          properties: {
            kind: { type: 'string' },
            metadata: { type: 'object' },
            parts: { type: 'array', items: ref('Part') },
          },
        },
        Part: { type: 'object', properties: { sub: ref('Part') } },
        WidgetList: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ['WidgetList'] },
            items: { type: 'array', items: ref('Widget') },
          },
        },
        WatchEvent: { type: 'object', properties: { type: { type: 'string' }, object: ref('Widget') } },
        Status: { type: 'object', properties: { kind: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  };
}

function runGenerator(spec: unknown, name: string) {
  const specPath = join(scratch, `${name}.json`);
  const out = join(scratch, `${name}.ts`);
  writeFileSync(specPath, JSON.stringify(spec));
  // The generated module imports the client's runtime from this package's src/.
  const args = [generator, '--spec', specPath, '--out', out, '--runtime', join(packageDir, 'src')];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, source: result.status === 0 ? readFileSync(out, 'utf8') : '' };
}

/** The generated module, imported for real (vitest compiles it, and its imports of src/). */
async function importGenerated(source: string): Promise<Record<string, unknown>> {
  const file = join(scratch, `generated-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

let source: string;
let operations: Record<string, OperationDescriptor>;
let generated: Record<string, unknown>;
let server: TestServer;
let calls: Record<string, OperationCall>;
let answer: (url: string) => { status: number; body?: unknown };

beforeAll(async () => {
  const result = runGenerator(fixtureSpec(), 'fixture');
  expect(result.stderr).toBe('');
  source = result.source;
  generated = await importGenerated(source);
  operations = generated.OPERATIONS as Record<string, OperationDescriptor>;
  server = await startServer((req, res) => {
    const { status, body } = answer(req.url!);
    if (body === undefined) res.writeHead(status).end();
    else sendJson(res, status, body);
  });
  const transport = createTransport({
    wire: createFetchWire(globalThis.fetch),
    tokenSource: createTokenSource({}),
    headers: { accept: 'application/json' },
    retry: NO_RETRY,
    timeoutMs: 5_000,
    maxResponseBytes: 1 << 20,
    limiter: createLimiter(4),
  });
  const pipeline = createPipeline({
    transport,
    headers: { accept: 'application/json' },
    maxResponseBytes: 1 << 20,
    options: {} as never,
  });
  calls = Object.fromEntries(
    Object.entries(operations).map(([id, descriptor]) => [id, createOperation(descriptor, server.url, pipeline.send)]),
  );
});
afterAll(() => server?.close());

describe('generate-client on a fixture spec', () => {
  it('emits one descriptor, Params/Result types and a typed method per operation, sorted by operationId', () => {
    expect(source.startsWith('// This file is generated by scripts/generate-client.mjs')).toBe(true);
    expect(source).toContain('Do not edit it by');
    expect(Object.keys(operations)).toEqual(['listWidgets', 'ping', 'readConfig', 'readWidget']);
    expect(source).toContain(
      "export type ReadWidgetParams = operations['readWidget']['parameters']['path'] & NonNullable<operations['readWidget']['parameters']['query']> & CallOptions;",
    );
    expect(source).toContain(
      "export type ListWidgetsParams = NonNullable<operations['listWidgets']['parameters']['query']> & CallOptions;",
    );
    expect(source).toContain('export type PingParams = CallOptions;');
    expect(source).toContain('export type PingResult = undefined;');
    // The plain JSON list is the result; the watch stream's media type is not part of it.
    expect(source).toContain(
      "export type ListWidgetsResult = operations['listWidgets']['responses'][200]['content']['application/json'];",
    );
    expect(source).toContain('  readWidget(params: ReadWidgetParams): Promise<ReadWidgetResult>;');
    expect(source).toContain('  listWidgets(params?: ListWidgetsParams): Promise<ListWidgetsResult>;');
  });

  it('descriptors: parameters from the path item and the operation, kinds from enum or schema name, stream parameter', () => {
    expect(operations.readWidget).toMatchObject({
      method: 'GET',
      path: '/apis/widgets/v1/groups/{group}/widgets/{name}',
      params: {
        group: { in: 'path', type: 'string', required: true },
        name: { in: 'path', type: 'string', required: true },
        count: { in: 'query', type: 'integer', required: true },
        verbose: { in: 'query', type: 'boolean' },
      },
      json: true,
      kind: 'Widget',
    });
    expect(operations.listWidgets).toMatchObject({ kind: 'WidgetList', streamParameter: 'watch' });
    expect(operations.readConfig!.kind).toBeUndefined();
    expect(operations.ping!.json).toBeUndefined();
    // A recursive schema (Part.sub → Part) is checked down to where it repeats, and generation ends.
    expect(source).toMatch(/const shapePart: Shape = \{ type: 'object' \};/);
  });

  it('list facts: a GET answering a …List with items is a list operation, its item kind and apiVersion derived', () => {
    // WidgetList's items are Widgets (its kind without "List"); the apiVersion is the path's group/version.
    expect(operations.listWidgets!.list).toEqual({
      kind: 'Widget',
      apiVersion: 'widgets/v1',
      namespaced: false,
      watch: true,
    });
    for (const id of ['readWidget', 'readConfig', 'ping']) expect(operations[id]!.list, id).toBeUndefined();
  });

  it('list facts: the item schema’s x-kubernetes-group-version-kind wins; a namespaced path and no watch parameter are seen', async () => {
    const spec = fixtureSpec() as any;
    spec.components.schemas.Widget['x-kubernetes-group-version-kind'] = [
      { group: 'example.com', version: 'v2', kind: 'Gadget' },
    ];
    const list = spec.paths['/apis/widgets/v1/widgets'];
    list.get.parameters = [
      { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } },
      query('labelSelector', 'string'),
    ];
    spec.paths['/apis/widgets/v1/namespaces/{namespace}/widgets'] = list;
    delete spec.paths['/apis/widgets/v1/widgets'];
    const result = runGenerator(spec, 'gvk');
    expect(result.stderr).toBe('');
    const module = await importGenerated(result.source);
    const descriptors = module.OPERATIONS as Record<string, OperationDescriptor>;
    expect(descriptors.listWidgets!.list).toEqual({
      kind: 'Gadget',
      apiVersion: 'example.com/v2',
      namespaced: true,
      watch: false,
    });
  });

  it('one exported function per operation: (context, params), carrying its descriptor, answered by a real server', async () => {
    for (const [id, descriptor] of Object.entries(operations)) {
      const fn = generated[id] as { descriptor: OperationDescriptor };
      expect(typeof fn, id).toBe('function');
      expect(fn.descriptor, id).toBe(descriptor);
      expect(descriptor.id).toBe(id);
    }
    expect(source).toContain(
      'export const readWidget = /* @__PURE__ */ defineOperation<ReadWidgetParams, ReadWidgetResult',
    );
    const cci = createCciContext({ baseUrl: server.url, retry: false });
    const readWidget = generated.readWidget as (context: object, params: object) => Promise<unknown>;
    answer = () => ({ status: 200, body: { kind: 'Widget', metadata: {} } });
    await expect(readWidget(cci, { group: 'g', name: 'w', count: 1 })).resolves.toEqual({
      kind: 'Widget',
      metadata: {},
    });
    expect(server.requests.at(-1)!.url).toBe('/apis/widgets/v1/groups/g/widgets/w?count=1');
    await expect(readWidget({}, { group: 'g', name: 'w', count: 1 })).rejects.toThrow(/createCciContext/);
    await cci.close();
  });

  it('a path with two parameters and a query of several types is built and answered', async () => {
    answer = () => ({ status: 200, body: { kind: 'Widget', metadata: {}, parts: [{}] } });
    await expect(calls.readWidget!({ group: 'g 1', name: 'w/2', count: 3, verbose: false })).resolves.toEqual({
      kind: 'Widget',
      metadata: {},
      parts: [{}],
    });
    expect(server.requests.at(-1)!.url).toBe('/apis/widgets/v1/groups/g%201/widgets/w%2F2?count=3&verbose=false');
  });

  it('a list with no path parameters, and a JSON body of another kind refused', async () => {
    answer = () => ({ status: 200, body: { kind: 'WidgetList', items: [{ kind: 'Widget' }] } });
    await expect(calls.listWidgets!({ labelSelector: 'a in (x,y)', ratio: 0.5 })).resolves.toMatchObject({
      kind: 'WidgetList',
    });
    expect(server.requests.at(-1)!.url).toBe('/apis/widgets/v1/widgets?labelSelector=a%20in%20(x%2Cy)&ratio=0.5');
    await expect(calls.listWidgets!()).resolves.toMatchObject({ kind: 'WidgetList' });
    answer = () => ({ status: 200, body: { kind: 'Widget' } });
    await expect(calls.listWidgets!({})).rejects.toThrow(/the body is not a WidgetList: kind is "Widget"/);
    answer = () => ({ status: 200, body: { kind: 'WidgetList', items: [{ parts: 'x' }] } });
    await expect(calls.listWidgets!({})).rejects.toThrow(/items\[0\]\.parts is not an array/);
  });

  it('an operation without a kind checks the structure only; one without a JSON answer returns undefined', async () => {
    answer = () => ({ status: 200, body: { entries: [{}] } });
    await expect(calls.readConfig!()).resolves.toEqual({ entries: [{}] });
    answer = () => ({ status: 200, body: { entries: {} } });
    await expect(calls.readConfig!()).rejects.toThrow(/entries is not an array/);
    answer = () => ({ status: 204 });
    await expect(calls.ping!()).resolves.toBeUndefined();
    answer = () => ({ status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } });
    await expect(calls.ping!()).rejects.toBeInstanceOf(CciApiError);
  });

  it.each([
    [{ group: 'g', name: 'w', count: 1, colour: 'red' }, /Unknown parameter "colour"/],
    [{ group: 'g', name: 'w', count: 1, constructor: 'x' }, /Unknown parameter "constructor"/],
    [{ group: 'g', count: 1 }, /name is missing/],
    [{ group: 'g', name: 'w' }, /count is missing/],
    [{ group: 'g', name: 'w', count: 1.5 }, /count must be an integer, got number/],
    [{ group: 'g', name: 'w', count: 1, verbose: 'yes' }, /verbose must be a boolean, got "yes"/],
    [{ group: '..', name: 'w', count: 1 }, /dot-segment/],
    [{ group: 'g', name: 'w', count: 1, signal: 'x' }, /signal must be an AbortSignal/],
    [null, /must be an object, got null/],
  ])('bad parameters %j → CciInputError before any request', async (params, message) => {
    const before = server.requests.length;
    const error = await calls.readWidget!(params as object).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciInputError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  it('watch: true is refused: the typed call returns one list, not a stream', async () => {
    await expect(calls.listWidgets!({ watch: true })).rejects.toThrow(CciInputError);
  });

  it.each([
    [
      'a header parameter',
      (s: any) => (s.paths['/ping'].get.parameters = [{ name: 'x-trace', in: 'header', schema: { type: 'string' } }]),
      /in header/,
    ],
    [
      'a request body with no JSON media type',
      (s: any) => (s.paths['/ping'].get.requestBody = { content: { 'text/plain': { schema: { type: 'string' } } } }),
      /request body offers no JSON media type \(text\/plain\)/,
    ],
    [
      'a parameter named body',
      (s: any) => (s.paths['/ping'].get.parameters = [{ name: 'body', in: 'query', schema: { type: 'string' } }]),
      /"body" would clash/,
    ],
    ['no operationId', (s: any) => delete s.paths['/ping'].get.operationId, /operationId undefined/],
    [
      'a list served where no apiVersion can be told',
      (s: any) => {
        s.paths['/widgets'] = s.paths['/apis/widgets/v1/widgets'];
        delete s.paths['/apis/widgets/v1/widgets'];
      },
      /a list of WidgetList with no apiVersion/,
    ],
    ['a duplicate operationId', (s: any) => (s.paths['/config'].get.operationId = 'ping'), /used twice/],
    [
      'an undeclared template parameter',
      (s: any) => (s.paths['/apis/widgets/v1/groups/{group}/widgets/{name}'].parameters = []),
      /\{group\} is not declared/,
    ],
    [
      'an object query parameter',
      (s: any) => (s.paths['/ping'].get.parameters = [{ name: 'q', in: 'query', schema: { type: 'object' } }]),
      /parameter q has type "object"/,
    ],
  ])('a spec the client cannot serve (%s) fails the generator with a clear message', (_label, mutate, message) => {
    const spec = fixtureSpec();
    mutate(spec);
    const result = runGenerator(spec, 'bad');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
