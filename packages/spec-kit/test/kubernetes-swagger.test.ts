// The structural check on a small, self-contained pair: a two-definition swagger extract and a spec
// that follows it with two deliberate differences.
import { describe, expect, it } from 'vitest';
import { checkKubernetesSwagger, parseSwaggerExtract, reachableDefinitions } from '@cci-openapi/spec-kit';

const extract = parseSwaggerExtract(
  JSON.stringify({
    paths: {
      '/api/v1/widgets/{name}': {
        parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
        get: {
          operationId: 'readWidget',
          parameters: [{ name: 'limit', in: 'query', type: 'integer' }],
          produces: ['application/json'],
          responses: {
            '200': { description: 'OK', schema: { $ref: '#/definitions/io.example.Widget' } },
            '401': { description: 'Unauthorized' },
          },
        },
      },
    },
    definitions: {
      'io.example.Widget': {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', format: 'int32' },
          part: { $ref: '#/definitions/io.example.Part' },
          at: { $ref: '#/definitions/io.example.Time' },
        },
      },
      'io.example.Part': {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      'io.example.Time': { type: 'string', format: 'date-time' },
    },
  }),
);

const spec = () => ({
  paths: {
    '/api/v1/widgets/{name}': {
      get: {
        operationId: 'readWidget',
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int64' } },
        ],
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } },
          },
          '401': { description: 'Unauthorized' },
        },
      },
    },
  },
  components: {
    schemas: {
      Widget: {
        title: 'io.example.Widget',
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', format: 'int32' },
          part: { $ref: '#/components/schemas/Part' },
          at: { type: 'string', format: 'date-time' },
          colour: { type: 'string' },
        },
      },
      Part: {
        title: 'io.example.Part',
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
});

const declared = [
  { field: 'parameters.limit', aspect: 'format', spec: 'int64', why: 'ListOptions.Limit is an int64' },
  { field: 'Widget.colour', aspect: 'added', spec: 'property', why: 'newer servers send it' },
];

describe('checkKubernetesSwagger', () => {
  it('reads operations with their path-level parameters, and follows definitions through $refs', () => {
    expect(
      extract.operations.map((operation) => [
        operation.operationId,
        operation.parameters.map((parameter) => parameter.name),
      ]),
    ).toEqual([['readWidget', ['name', 'limit']]]);
    expect([...reachableDefinitions(extract, ['io.example.Widget'])].sort()).toEqual([
      'io.example.Part',
      'io.example.Time',
      'io.example.Widget',
    ]);
  });

  it('counts what matches once the differences are declared (value types like Time compare by type and format)', () => {
    const report = checkKubernetesSwagger({ extract, operations: ['readWidget'], spec: spec(), deviations: declared });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      operations: { matched: 1, total: 1 },
      parameters: { matched: 2, total: 2 },
      properties: { matched: 5, total: 5 },
      responseCodes: { matched: 2, total: 2 },
    });
  });

  it('names each undeclared difference, and each stale declaration', () => {
    const changed = spec();
    changed.components.schemas.Part.properties.tags.items = { type: 'integer' } as any;
    changed.components.schemas.Part.properties.labels.additionalProperties = { type: 'integer' } as any;
    changed.components.schemas.Widget.required = [];
    (changed.paths['/api/v1/widgets/{name}'].get.parameters[1]!.schema as any).format = undefined;
    const report = checkKubernetesSwagger({ extract, operations: ['readWidget'], spec: changed, deviations: declared });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'definition io.example.Part, property tags: Part.tags: undeclared type difference — source says "array of string", spec says "array of integer"',
        'definition io.example.Part, property labels: Part.labels: undeclared type difference — source says "map of string", spec says "map of integer"',
        'definition io.example.Widget, property size: Widget.size: undeclared required difference — source says "required", spec says "optional"',
        'stale declaration in deviations.yaml: parameters.limit format no longer differs from the source',
      ]),
    );
    expect(report.properties).toEqual({ matched: 2, total: 5 });
  });

  it('reports a declared operation the spec lacks', () => {
    const empty = spec();
    empty.paths = {} as any;
    const report = checkKubernetesSwagger({ extract, operations: ['readWidget'], spec: empty, deviations: [] });
    expect(report.problems).toContain('readWidget (GET /api/v1/widgets/{name}): not in the spec');
    expect(report.operations).toEqual({ matched: 0, total: 1 });
  });

  it('rejects a document that is not a swagger extract', () => {
    expect(() => parseSwaggerExtract('{"openapi": "3.1.0"}')).toThrow(
      /expected an object with "paths" and "definitions"/,
    );
    expect(() => parseSwaggerExtract('not json')).toThrow();
  });
});
