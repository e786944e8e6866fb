// The mock serves whatever operations its spec declares, with no code per operation: an operation
// added to a spec the mock has never seen (a new path and a new schema kind) is routed.
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixtures, startMockServer, type MockServer } from '../src/index.js';
import { request } from './helpers/http.js';
import { spec } from './helpers/spec.js';

/** The bundled spec plus a Widget kind (a schema the mock has never seen) with read and list operations. */
function specWithWidgets(): any {
  const copy = structuredClone(spec);
  const errors = Object.fromEntries(
    Object.entries(copy.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get.responses).filter(
      ([code]) => code !== '200',
    ),
  );
  copy.components.schemas.Widget = {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string', enum: ['Widget'] },
      metadata: { $ref: '#/components/schemas/ObjectMeta' },
      spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } },
    },
  };
  copy.components.schemas.WidgetList = {
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/components/schemas/ListMeta' },
      items: { type: 'array', items: { $ref: '#/components/schemas/Widget' } },
    },
  };
  const ok = (schema: string) => ({
    description: 'OK',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  });
  const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  copy.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'] = {
    parameters: [pathParam('namespace'), pathParam('name')],
    get: { operationId: 'readExampleV1NamespacedWidget', responses: { '200': ok('Widget'), ...errors } },
  };
  copy.paths['/apis/example.com/v1/namespaces/{namespace}/widgets'] = {
    parameters: [pathParam('namespace')],
    get: { operationId: 'listExampleV1NamespacedWidget', responses: { '200': ok('WidgetList'), ...errors } },
  };
  return copy;
}

const widget = (name: string, size: number, labels?: Record<string, string>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'shop', ...(labels ? { labels } : {}) },
  spec: { size },
});

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('an operation the mock has never seen', () => {
  it('is routed from the spec alone: 404 `<resource> "x" not found` with details naming it', async () => {
    server = await startMockServer({ port: 0, spec: specWithWidgets() });
    const answer = await request(`${server.url}/apis/example.com/v1/namespaces/shop/widgets/x`);
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'widgets "x" not found',
      details: { name: 'x', kind: 'widgets' },
    });
  });

  it('serves objects of the new kind from fixtures and the store, validated against the new schema, and lists them', async () => {
    server = await startMockServer({
      port: 0,
      spec: specWithWidgets(),
      fixtures: [...loadFixtures(), widget('small', 1, { size: 's' })],
    });
    const read = await request(`${server.url}/apis/example.com/v1/namespaces/shop/widgets/small`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ kind: 'Widget', spec: { size: 1 } });
    server.store.apply(widget('large', 9, { size: 'l' }));
    const listed = await request(
      `${server.url}/apis/example.com/v1/namespaces/shop/widgets?labelSelector=size%20in%20(l)`,
    );
    expect(listed.json).toMatchObject({
      kind: 'WidgetList',
      apiVersion: 'example.com/v1',
      items: [{ metadata: { name: 'large' } }],
    });
    expect(() => server?.store.apply(widget('broken', 0))).toThrow(
      /shop\/broken is not a valid Widget: \/spec\/size must be >= 1/,
    );
    // The Services are still served next to the new kind.
    expect((await request(`${server.url}/api/v1/namespaces/namespace-test/services/redis/status`)).status).toBe(200);
  });

  it('a fixture of a kind the spec does not describe is refused', async () => {
    await expect(startMockServer({ port: 0, fixtures: [widget('small', 1)] })).rejects.toThrow(
      /fixtures item 0 \(shop\/small\): the spec has no schema for kind "Widget"/,
    );
  });
});
