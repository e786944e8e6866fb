// managedFields as kube-apiserver 1.20 writes them. The expected FieldsV1, conflict messages and
// 422s below are copied from a real kube-apiserver v1.20.2's answers to the same writes;
// contract/test/patch-engines.test.ts compares random series with it.
import { describe, expect, it } from 'vitest';
import {
  decodeManaged,
  FieldSet,
  fieldSetOf,
  managerName,
  prefixFromUserAgent,
  serverSideApply,
  updateManagedFields,
  validateFieldManager,
  validatePatchOptions,
} from '../src/writes/fields/index.js';
import { patchMetaFor } from '../src/writes/merge/index.js';
import type { JsonObject } from '../src/writes/merge/problem.js';

const meta = patchMetaFor('Service');
const fieldsAt = (fields: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], fields);
const TIME = '2026-12-07T04:31:22Z';

// What the real server decoded and defaulted for `POST …/services` of
// {"metadata":{"name":"s1","labels":{"app":"x"},"finalizers":["a/b"]},"spec":{"ports":[{"port":80}],"selector":{"app":"x"}}}.
const created = (): JsonObject => ({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 's1', namespace: 'probe', labels: { app: 'x' }, finalizers: ['a/b'] },
  spec: {
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
    selector: { app: 'x' },
    type: 'ClusterIP',
    sessionAffinity: 'None',
  },
  status: { loadBalancer: {} },
});
const CREATED_FIELDS = {
  'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a/b"': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:ports': {
      '.': {},
      'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} },
    },
    'f:selector': { '.': {}, 'f:app': {} },
    'f:sessionAffinity': {},
    'f:type': {},
  },
};

describe('updateManagedFields (operation Update)', () => {
  it('credits a create with every field it set, defaults included, server metadata and the zero status excluded', () => {
    expect(updateManagedFields(undefined, created(), meta, { manager: 'kubectl', time: TIME })).toEqual([
      {
        manager: 'kubectl',
        operation: 'Update',
        apiVersion: 'v1',
        time: TIME,
        fieldsType: 'FieldsV1',
        fieldsV1: CREATED_FIELDS,
      },
    ]);
  });

  it('moves a changed field to its writer, keeps the others, and leaves the time of an unchanged manager', () => {
    const live = {
      ...created(),
      metadata: {
        ...(created().metadata as JsonObject),
        uid: 'u1',
        managedFields: updateManagedFields(undefined, created(), meta, {
          manager: 'kubectl',
          time: TIME,
        }) as unknown as JsonObject[],
      },
    };
    const next = structuredClone(live) as JsonObject;
    ((next.metadata as JsonObject).labels as JsonObject).app = 'y';
    const entries = updateManagedFields(live, next, meta, { manager: 'carol', time: '2026-12-07T05:00:00Z' });
    expect(entries?.map((e) => [e.manager, e.time])).toEqual([
      ['kubectl', TIME],
      ['carol', '2026-12-07T05:00:00Z'],
    ]);
    expect(entries?.[1]?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {} } } });
    // labels itself stays kubectl's: a member without children is written `{}`.
    expect(fieldsAt(entries?.[0]?.fieldsV1, 'f:metadata', 'f:labels')).toEqual({});
  });

  it('drops a manager whose fields are all gone, and does not track an existing object without managedFields', () => {
    const live = {
      ...created(),
      metadata: {
        ...(created().metadata as JsonObject),
        uid: 'u1',
        managedFields: updateManagedFields(undefined, created(), meta, {
          manager: 'kubectl',
          time: TIME,
        }) as unknown as JsonObject[],
      },
    };
    const untracked = { ...created(), metadata: { ...(created().metadata as JsonObject), uid: 'u1' } };
    expect(updateManagedFields(untracked, created(), meta, { manager: 'carol', time: TIME })).toBeUndefined();
    const next = structuredClone(live) as JsonObject;
    (next.spec as JsonObject).ports = [{ protocol: 'TCP', port: 81, targetPort: 81 }];
    const entries = updateManagedFields(live, next, meta, { manager: 'carol', time: TIME });
    expect(fieldsAt(entries?.find((e) => e.manager === 'kubectl')?.fieldsV1, 'f:spec', 'f:ports')).toEqual({});
  });

  it('expands a map owned as a whole to what it holds now (SMD reconciles sets with the schema)', () => {
    const managedFields = [
      {
        manager: 'creator',
        operation: 'Update',
        apiVersion: 'v1',
        time: TIME,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': {} } },
      },
    ];
    const live = {
      ...created(),
      metadata: { ...(created().metadata as JsonObject), uid: 'u1', labels: { b: 'z', c: 'z' }, managedFields },
    };
    const next = structuredClone(live) as JsonObject;
    (next.spec as JsonObject).selector = { app: 'z' };
    const creator = updateManagedFields(live, next, meta, { manager: 'dave', time: TIME })?.find(
      (e) => e.manager === 'creator',
    );
    expect(creator?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:b': {}, 'f:c': {} } } });
  });
});

describe('at most 10 Update managers', () => {
  it('folds the oldest into "ancient-changes", as the real server did for u0 (create) then u1…u11 (one label each)', () => {
    const base = { ...created(), metadata: { name: 'cap', namespace: 'probe' } };
    let managedFields = updateManagedFields(undefined, base, meta, { manager: 'u0', time: '2026-12-07T05:07:31Z' });
    let live: JsonObject = {
      ...base,
      metadata: { ...(base.metadata as JsonObject), uid: 'u', managedFields: managedFields as unknown as JsonObject[] },
    };
    for (let i = 1; i <= 11; i++) {
      const next = structuredClone(live) as JsonObject;
      (next.metadata as JsonObject).labels = {
        ...((next.metadata as JsonObject).labels as JsonObject),
        [`l${i}`]: 'v',
      };
      managedFields = updateManagedFields(live, next, meta, { manager: `u${i}`, time: `2026-12-07T05:07:${31 + i}Z` });
      live = {
        ...next,
        metadata: { ...(next.metadata as JsonObject), managedFields: managedFields as unknown as JsonObject[] },
      };
    }
    expect(managedFields?.map((e) => e.manager)).toEqual([
      'ancient-changes',
      'u3',
      'u4',
      'u5',
      'u6',
      'u7',
      'u8',
      'u9',
      'u10',
      'u11',
    ]);
    expect(managedFields?.[0]?.time).toBe('2026-12-07T05:07:33Z');
    expect(fieldsAt(managedFields?.[0]?.fieldsV1, 'f:metadata')).toEqual({
      'f:labels': { '.': {}, 'f:l1': {}, 'f:l2': {} },
    });
  });
});

describe('serverSideApply', () => {
  const config = `apiVersion: v1
kind: Service
metadata:
  name: a1
  labels: {a: "1"}
spec:
  ports:
  - port: 80
    protocol: TCP
  selector: {app: a}`;

  it('creates, owning exactly what was applied', () => {
    const r = serverSideApply(undefined, config, meta, { manager: 'm1', time: TIME });
    expect(r.ok && r.created).toBe(true);
    expect(r.ok && r.managedFields).toEqual([
      {
        manager: 'm1',
        operation: 'Apply',
        apiVersion: 'v1',
        time: TIME,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:a': {} } },
          'f:spec': {
            'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } },
            'f:selector': { 'f:app': {} },
          },
        },
      },
    ]);
  });

  it('answers a change to fields another manager applied with 409 FieldManagerConflict, and takes them with force', () => {
    const first = serverSideApply(undefined, config, meta, { manager: 'm1', time: TIME });
    if (!first.ok) throw new Error('first apply failed');
    const live = {
      ...first.object,
      metadata: {
        ...(first.object.metadata as JsonObject),
        uid: 'u1',
        managedFields: first.managedFields as unknown as JsonObject[],
      },
    };
    const second = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'a1', labels: { a: '2', b: 'x' } },
      spec: { selector: { app: 'b' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 81 }] },
    });
    const refused = serverSideApply(live, second, meta, { manager: 'm2', time: TIME });
    expect(refused.ok ? refused : refused.problem).toEqual({
      status: 409,
      reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflicts with "m1":\n- .metadata.labels.a\n- .spec.selector.app',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.metadata.labels.a' },
          { reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.spec.selector.app' },
        ],
      },
      causes: [
        { reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.metadata.labels.a' },
        { reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.spec.selector.app' },
      ],
    });
    const forced = serverSideApply(live, second, meta, { manager: 'm2', force: true, time: TIME });
    expect(forced.ok && forced.object.metadata).toMatchObject({ labels: { a: '2', b: 'x' } });
    expect(forced.ok && forced.managedFields?.find((e) => e.manager === 'm1')?.fieldsV1).toEqual({
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } } },
    });
  });

  it('removes what the applier no longer applies when nobody else owns it', () => {
    const first = serverSideApply(undefined, config, meta, { manager: 'm1', time: TIME });
    if (!first.ok) throw new Error('first apply failed');
    const live = {
      ...first.object,
      metadata: {
        ...(first.object.metadata as JsonObject),
        uid: 'u1',
        managedFields: first.managedFields as unknown as JsonObject[],
      },
    };
    const r = serverSideApply(live, config.replace('  labels: {a: "1"}\n', ''), meta, { manager: 'm1', time: TIME });
    // SMD empties the map to null; decoding into the Go types (applyPatch does it) then drops it.
    expect(r.ok && (r.object.metadata as JsonObject).labels).toBeNull();
    expect(r.ok && r.managedFields?.[0]?.fieldsV1).not.toHaveProperty(['f:metadata']);
  });

  it('credits an untracked object to "before-first-apply" first; managedFields [] untracks it (as on the real server)', () => {
    const live = {
      ...created(),
      metadata: {
        ...(created().metadata as JsonObject),
        uid: 'u1',
        managedFields: updateManagedFields(undefined, created(), meta, {
          manager: 'kubectl',
          time: TIME,
        }) as unknown as JsonObject[],
      },
    };
    const reset = {
      ...live,
      metadata: { ...(live.metadata as JsonObject), managedFields: [], labels: { app: 'x', r: '1' } },
    };
    expect(updateManagedFields(live, reset, meta, { manager: 'zz', time: TIME })).toBeUndefined();
    const untracked = {
      ...reset,
      metadata: { ...(reset.metadata as JsonObject), managedFields: undefined },
    } as unknown as JsonObject;
    const r = serverSideApply(
      untracked,
      '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s1","labels":{"r":"4"}}}',
      meta,
      {
        manager: 'zz',
        time: TIME,
      },
    );
    expect(r.ok ? r : r.problem).toMatchObject({
      status: 409,
      message: 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .metadata.labels.r',
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "before-first-apply" using v1',
          field: '.metadata.labels.r',
        },
      ],
    });
  });

  it('refuses what the real server refuses', () => {
    const bad = (body: string, manager = 'm1') => {
      const r = serverSideApply(undefined, body, meta, { manager, time: TIME });
      return r.ok ? r : r.problem;
    };
    expect(bad(config, '')).toMatchObject({
      status: 422,
      reason: 'Invalid',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    });
    expect(bad(config.replace('    protocol: TCP\n', ''))).toEqual({
      status: 500,
      reason: '',
      message:
        'failed to create typed patch object: .spec.ports: element 0: associative list with keys has an element that omits key field "protocol" (and doesn\'t have default value)',
    });
    // YAML 1.1, as the server reads it: `on` is a boolean, which a label value refuses.
    expect(bad('apiVersion: v1\nkind: Service\nmetadata:\n  name: a1\n  labels:\n    a: on\n')).toEqual({
      status: 500,
      reason: '',
      message:
        'failed to create typed patch object: .metadata.labels.a: expected string, got &value.valueUnstructured{Value:true}',
    });
    expect(bad('- a\n')).toMatchObject({ status: 400, reason: 'BadRequest' });
  });
});

describe('field sets and manager names', () => {
  it('writes FieldsV1 with list-map keys, set values and "." for a member with children', () => {
    expect(
      fieldSetOf(
        {
          metadata: { finalizers: ['a/b'] },
          spec: { ports: [{ port: 80, protocol: 'TCP' }], externalIPs: ['192.0.2.1'] },
        },
        meta,
      ),
    ).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} } },
      'f:spec': {
        'f:externalIPs': {},
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } },
      },
    });
  });

  it('reads FieldsV1 back to the same set, and refuses entries kube-apiserver cannot decode', () => {
    expect(FieldSet.fromFieldsV1(CREATED_FIELDS).toFieldsV1()).toEqual(CREATED_FIELDS);
    expect(() => decodeManaged([{ manager: 'x', operation: 'Update' }])).toThrow(
      'missing fieldsType in managed fields entry 0',
    );
    expect(() => decodeManaged([{ manager: 'x', fieldsType: 'FieldsV2' }])).toThrow(
      'invalid fieldsType "FieldsV2" in managed fields entry 0',
    );
  });

  it('names the manager after the User-Agent when fieldManager is absent', () => {
    expect(prefixFromUserAgent('kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19')).toBe('kubectl');
    expect(prefixFromUserAgent('curl/8.5.0')).toBe('curl');
    expect(prefixFromUserAgent(undefined)).toBe('');
    expect(prefixFromUserAgent(`a\u0001b${'x'.repeat(200)}/1`)).toBe(`ab${'x'.repeat(126)}`);
    expect(managerName('mine', 'curl/8')).toBe('mine');
  });

  it('validates fieldManager as the real server does (422 on the write options)', () => {
    expect(validateFieldManager('x'.repeat(129), 'PatchOptions')).toMatchObject({
      status: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: must have at most 128 bytes',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          { reason: 'FieldValueTooLong', message: 'Too long: must have at most 128 bytes', field: 'fieldManager' },
        ],
      },
    });
    expect(validateFieldManager('a\u0001b', 'PatchOptions')).toMatchObject({
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x01b": invalid character U+0001 (at position 1)',
    });
    expect(validateFieldManager('x'.repeat(128), 'CreateOptions')).toBeUndefined();
  });

  it('validates PATCH options in the real server order, all errors in one 422', () => {
    expect(validatePatchOptions(false, { force: true, fieldManager: 'x'.repeat(129) })).toEqual({
      status: 422,
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: [force: Forbidden: may not be specified for non-apply patch, fieldManager: Too long: must have at most 128 bytes]',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: may not be specified for non-apply patch',
            field: 'force',
          },
          { reason: 'FieldValueTooLong', message: 'Too long: must have at most 128 bytes', field: 'fieldManager' },
        ],
      },
      causes: [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: may not be specified for non-apply patch',
          field: 'force',
        },
        { reason: 'FieldValueTooLong', message: 'Too long: must have at most 128 bytes', field: 'fieldManager' },
      ],
    });
    expect(validatePatchOptions(true, { force: true })?.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(validatePatchOptions(true, { force: false, fieldManager: 'm' })).toBeUndefined();
    expect(validatePatchOptions(false, {})).toBeUndefined();
  });
});
