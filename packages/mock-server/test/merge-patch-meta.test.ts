// Merge metadata read from the bundled spec's x-kubernetes-* extensions (no field names hard-coded).
import { describe, expect, it } from 'vitest';
import { applyPatch, PatchMetaReader, patchMetaFor, type TypeMeta } from '../src/writes/merge/index.js';

const field = (meta: TypeMeta, ...path: string[]): TypeMeta | undefined =>
  path.reduce<TypeMeta | undefined>(
    (m, name) => (m?.kind === 'struct' ? m.field(name) : m?.kind === 'list' ? m.elem : undefined),
    meta,
  );

describe('patch metadata from the bundled spec', () => {
  const service = patchMetaFor('Service');

  it('reads list types, keys and patch strategies through $refs', () => {
    expect(field(service, 'spec', 'ports')).toMatchObject({
      kind: 'list',
      listType: 'map',
      keys: ['port', 'protocol'],
      patchStrategies: ['merge'],
      patchMergeKey: 'port',
    });
    expect(field(service, 'metadata', 'finalizers')).toMatchObject({
      kind: 'list',
      listType: 'set',
      patchStrategies: ['merge'],
      patchMergeKey: '',
    });
    expect(field(service, 'metadata', 'ownerReferences')).toMatchObject({
      kind: 'list',
      listType: 'map',
      keys: ['uid'],
      patchMergeKey: 'uid',
    });
    expect(field(service, 'spec', 'externalIPs')).toMatchObject({
      kind: 'list',
      listType: 'atomic',
      patchStrategies: [],
    });
    expect(field(service, 'metadata', 'labels')).toMatchObject({ kind: 'map' });
    expect(field(service, 'spec', 'ports', 'x', 'targetPort')).toMatchObject({
      kind: 'scalar',
      types: ['integer', 'string'],
    });
    expect(field(service, 'spec', 'nope')).toBeUndefined();
  });

  it('derives the same from any document: a list-type wins over the patch strategy', () => {
    const reader = new PatchMetaReader({
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            properties: {
              tags: {
                type: 'array',
                'x-kubernetes-list-type': 'set',
                'x-kubernetes-patch-strategy': 'merge',
                items: { type: 'string' },
              },
              self: { $ref: '#/components/schemas/Thing' },
            },
          },
        },
      },
    });
    const thing = reader.forSchema('Thing');
    expect(field(thing, 'tags')).toMatchObject({ listType: 'set' });
    expect(field(thing, 'self', 'self', 'tags')).toMatchObject({ listType: 'set' });
    expect(() => reader.forSchema('Nope')).toThrow('no schema "Nope"');
  });
});

describe('applyPatch', () => {
  const live = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'a', namespace: 'n', uid: 'u' },
    spec: { ports: [{ port: 80, protocol: 'TCP' }] },
  };

  it('dispatches on the kind, and only apply creates', () => {
    expect(applyPatch('merge', live, '{"metadata":{"labels":{"a":"1"}}}')).toMatchObject({
      ok: true,
      created: false,
      object: { metadata: { labels: { a: '1' } } },
    });
    const created = applyPatch('apply', undefined, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n', {
      fieldManager: 'm',
      time: '2026-12-07T00:00:00Z',
    });
    expect(created).toMatchObject({ ok: true, created: true });
    expect(() => applyPatch('json', undefined, '[]')).toThrow('needs the live object');
  });

  it('maps a refusal to the Status parts the catalogue takes', () => {
    expect(applyPatch('json', live, '[{"op":"test","path":"/kind","value":"Pod"}]')).toEqual({
      ok: false,
      status: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
      details: {},
    });
  });
});
