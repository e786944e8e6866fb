// JSON Patch (RFC 6902) as kube-apiserver 1.20 applies it (evanphx/json-patch v4.9.0). Every
// expectation here was observed on a real kube-apiserver v1.20.2 (contract/scripts/kube-apiserver.sh)
// with the same patch; contract/test/patch-engines.test.ts checks random series against it.
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from '../src/writes/merge/index.js';
import type { JsonObject } from '../src/writes/merge/problem.js';
import { liveService } from './helpers/live-service.js';

const live = (): JsonObject => liveService('q1');

const GENERIC_422 = {
  status: 422,
  reason: 'Invalid',
  message: 'the server rejected our request due to an error in our request',
  details: {},
};
const apply = (ops: unknown) => applyJsonPatch(live(), JSON.stringify(ops));
const portNames = (r: ReturnType<typeof apply>) =>
  r.ok ? ((r.object.spec as JsonObject).ports as JsonObject[]).map((p) => p.name) : r.problem;

describe('JSON patch: operations', () => {
  it('adds at index == length (appends), at "-", and at -1 (before the end, evanphx counts from the end)', () => {
    expect(portNames(apply([{ op: 'add', path: '/spec/ports/2', value: { name: 'p82', port: 82 } }]))).toEqual([
      'p80',
      'p81',
      'p82',
    ]);
    expect(portNames(apply([{ op: 'add', path: '/spec/ports/-', value: { name: 'p82', port: 82 } }]))).toEqual([
      'p80',
      'p81',
      'p82',
    ]);
    expect(portNames(apply([{ op: 'add', path: '/spec/ports/-1', value: { name: 'p90', port: 90 } }]))).toEqual([
      'p80',
      'p81',
      'p90',
    ]);
    expect(portNames(apply([{ op: 'add', path: '/spec/ports/0', value: { name: 'p79', port: 79 } }]))).toEqual([
      'p79',
      'p80',
      'p81',
    ]);
  });

  it('removes by index, -1 being the last item', () => {
    expect(portNames(apply([{ op: 'remove', path: '/spec/ports/-1' }]))).toEqual(['p80']);
    expect(portNames(apply([{ op: 'remove', path: '/spec/ports/0' }]))).toEqual(['p81']);
  });

  it('replace of a missing object member adds it; copy from a missing member copies null', () => {
    const replaced = apply([{ op: 'replace', path: '/metadata/labels/new', value: 'n' }]);
    expect(replaced.ok && (replaced.object.metadata as JsonObject).labels).toEqual({ a: '1', new: 'n' });
    const copied = apply([{ op: 'copy', from: '/metadata/labels/zz', path: '/metadata/labels/q' }]);
    expect(copied.ok && (copied.object.metadata as JsonObject).labels).toEqual({ a: '1', q: null });
  });

  it('test passes on an equal value, and on a missing member tested against null', () => {
    const ok = apply([
      { op: 'test', path: '/metadata/labels/a', value: '1' },
      { op: 'test', path: '/metadata/labels/zz', value: null },
      { op: 'add', path: '/metadata/labels/t', value: 'ok' },
    ]);
    expect(ok.ok && (ok.object.metadata as JsonObject).labels).toEqual({ a: '1', t: 'ok' });
  });

  it('moves and copies values between members', () => {
    const moved = apply([{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/b' }]);
    expect(moved.ok && (moved.object.metadata as JsonObject).labels).toEqual({ b: '1' });
  });

  it('a path without a leading "/" addresses the root member named by its last segment', () => {
    const r = apply([{ op: 'add', path: 'metadata/annotations', value: { k: 'v' } }]);
    expect(r.ok && r.object.annotations).toEqual({ k: 'v' });
  });

  it('does not change its input', () => {
    const input = live();
    const before = JSON.stringify(input);
    applyJsonPatch(
      input,
      JSON.stringify([
        { op: 'remove', path: '/spec/ports/0' },
        { op: 'add', path: '/metadata/labels/b', value: '2' },
      ]),
    );
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('JSON patch: failures (the real server hides the reason behind a generic 422)', () => {
  it.each([
    ['a failing test', [{ op: 'test', path: '/spec/type', value: 'NodePort' }]],
    ['removing a missing member', [{ op: 'remove', path: '/spec/nope' }]],
    ['adding under a missing parent', [{ op: 'add', path: '/spec/a/b', value: 1 }]],
    ['an unknown op', [{ op: 'foo', path: '/spec' }]],
    ['a missing path', [{ op: 'add', value: 1 }]],
    ['an op that is not a string', [{ op: 1, path: '/a' }]],
    ['adding past the end', [{ op: 'add', path: '/spec/ports/4', value: { port: 83 } }]],
    ['removing past the end', [{ op: 'remove', path: '/spec/ports/5' }]],
    ['moving from a missing member', [{ op: 'move', from: '/spec/zz', path: '/spec/yy' }]],
    ['the root path', [{ op: 'add', path: '', value: {} }]],
  ])('%s → 422', (_name, ops) => {
    const r = apply(ops);
    expect(r.ok ? r : r.problem).toEqual(GENERIC_422);
  });

  it('applies nothing when a later operation fails', () => {
    const r = apply([
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'test', path: '/metadata/labels/b', value: '3' },
    ]);
    expect(r.ok).toBe(false);
  });
});

describe('JSON patch: bodies', () => {
  it.each([
    ['{"op":"add"}', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['[1]', 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    ['[{', 'unexpected end of JSON input'],
    ['[x]', "invalid character 'x' looking for beginning of value"],
  ])('%s → 400 %s', (body, message) => {
    const r = applyJsonPatch(live(), body);
    expect(r.ok ? r : r.problem).toEqual({ status: 400, reason: 'BadRequest', message });
  });

  it('null and [] change nothing', () => {
    for (const body of ['null', '[]']) {
      const r = applyJsonPatch(live(), body);
      expect(r.ok && r.object).toEqual(live());
    }
  });

  it(`refuses more than ${MAX_JSON_PATCH_OPERATIONS} operations before applying any (413)`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '/kind',
      value: 'Service',
    }));
    const r = applyJsonPatch(live(), JSON.stringify(ops));
    expect(r.ok ? r : r.problem).toEqual({
      status: 413,
      reason: 'RequestEntityTooLarge',
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${MAX_JSON_PATCH_OPERATIONS + 1}`,
    });
    expect(applyJsonPatch(live(), JSON.stringify(ops.slice(1))).ok).toBe(true);
  });

  it('bounds what copy operations may add (3 MiB, the apiserver default), failing with the generic 422', () => {
    const big = { ...live(), metadata: { name: 'q1', annotations: { big: 'x'.repeat(1024 * 1024) } } };
    const ops = Array.from({ length: 4 }, (_, i) => ({
      op: 'copy',
      from: '/metadata/annotations/big',
      path: `/metadata/annotations/c${i}`,
    }));
    const r = applyJsonPatch(big, JSON.stringify(ops));
    expect(r.ok ? r : r.problem).toEqual(GENERIC_422);
  });

  it('keeps "__proto__" as a member, never as the prototype', () => {
    const r = apply([{ op: 'add', path: '/metadata/labels/__proto__', value: 'x' }]);
    expect(r.ok && Object.getPrototypeOf(r.object.metadata)).toBe(Object.prototype);
    expect(r.ok && Object.hasOwn((r.object.metadata as JsonObject).labels as JsonObject, '__proto__')).toBe(true);
  });
});
