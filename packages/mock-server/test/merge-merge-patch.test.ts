// JSON Merge Patch (RFC 7386) as kube-apiserver 1.20 applies it, and what decoding into the Go
// types then does to the result. Expectations observed on a real kube-apiserver v1.20.2.
import { describe, expect, it } from 'vitest';
import { applyMergePatch, applyPatch, decodeLikeGo, patchMetaFor } from '../src/writes/merge/index.js';
import type { JsonObject } from '../src/writes/merge/problem.js';

const live = (): JsonObject => ({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: {
    name: 's1',
    namespace: 'probe',
    uid: 'u',
    resourceVersion: '1',
    labels: { app: 'x' },
    finalizers: ['a/b'],
  },
  spec: {
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
    selector: { app: 'x' },
    clusterIP: '10.247.0.10',
    type: 'ClusterIP',
    sessionAffinity: 'None',
  },
  status: { loadBalancer: {} },
});

describe('merge patch', () => {
  it('merges objects, deletes members set to null, replaces lists and scalars', () => {
    const r = applyMergePatch(
      live(),
      JSON.stringify({
        metadata: { labels: { app: null, tier: 'web' } },
        spec: { ports: [{ port: 81 }], type: 'NodePort' },
      }),
    );
    expect(r.ok && r.object.metadata).toMatchObject({ labels: { tier: 'web' } });
    expect(r.ok && (r.object.spec as JsonObject).ports).toEqual([{ port: 81 }]);
    expect(r.ok && (r.object.spec as JsonObject).type).toBe('NodePort');
  });

  it('prunes nulls inside a value it adds', () => {
    const r = applyMergePatch(live(), JSON.stringify({ metadata: { annotations: { a: '1', b: null } } }));
    expect(r.ok && (r.object.metadata as JsonObject).annotations).toEqual({ a: '1' });
  });

  it.each(['"x"', 'null', '{', '1'])('answers %s with 500 "Invalid JSON Patch" (a plain error)', (body) => {
    const r = applyMergePatch(live(), body);
    expect(r.ok ? r : r.problem).toEqual({ status: 500, reason: '', message: 'Invalid JSON Patch' });
  });

  it('answers an array with the 422 of decoding it as the object', () => {
    const r = applyMergePatch(live(), '[]');
    const message =
      'Invalid value: "[]": couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
    expect(r.ok ? r : r.problem).toMatchObject({
      status: 422,
      reason: 'Invalid',
      message: ` "" is invalid: patch: ${message}`,
      causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
    });
  });

  it('does not change its input', () => {
    const input = live();
    const before = JSON.stringify(input);
    applyMergePatch(input, JSON.stringify({ metadata: { labels: { app: null } }, spec: null }));
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('decoding the patched document as the Go types do', () => {
  const meta = patchMetaFor('Service');

  it('drops unknown fields (1.20 decodes without strict field validation) and empty optional values', () => {
    const r = applyPatch(
      'merge',
      live(),
      JSON.stringify({ unknownField: { a: 1 }, spec: { zzz: 1, externalIPs: [] }, metadata: { annotations: {} } }),
    );
    expect(r.ok && r.object.unknownField).toBeUndefined();
    expect(r.ok && (r.object.spec as JsonObject).zzz).toBeUndefined();
    expect(r.ok && (r.object.spec as JsonObject).externalIPs).toBeUndefined();
    expect(r.ok && (r.object.metadata as JsonObject).annotations).toBeUndefined();
    expect(r.ok && (r.object.metadata as JsonObject).labels).toEqual({ app: 'x' });
  });

  it('turns null in a string map into "" (a Go map value cannot be nil)', () => {
    const d = decodeLikeGo({ metadata: { annotations: { k: null, j: 'v' } } }, meta);
    expect(d.ok && d.object.metadata).toEqual({ annotations: { k: '', j: 'v' } });
  });

  it('keeps the zero value of a Go pointer field (ownerReferences[].controller: false), drops that of a plain one', () => {
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'o1', uid: 'uid-o1', controller: false };
    const r = applyPatch(
      'merge',
      live(),
      JSON.stringify({ metadata: { ownerReferences: [owner] }, spec: { publishNotReadyAddresses: false } }),
    );
    expect(r.ok && (r.object.metadata as JsonObject).ownerReferences).toEqual([owner]);
    expect(r.ok && Object.hasOwn(r.object.spec as JsonObject, 'publishNotReadyAddresses')).toBe(false);
  });

  it('refuses a value of the wrong type with a 422 naming the patch', () => {
    const r = applyPatch('merge', live(), JSON.stringify({ spec: { ports: 'x' } }));
    expect(r.ok ? r : { status: r.status, reason: r.reason, field: r.causes?.[0]?.field }).toEqual({
      status: 422,
      reason: 'Invalid',
      field: 'patch',
    });
  });
});
