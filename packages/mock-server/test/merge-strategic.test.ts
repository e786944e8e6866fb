// Strategic merge patch as kube-apiserver 1.20 applies it to a Service, its merge metadata read
// from the bundled spec. Expectations observed on a real kube-apiserver v1.20.2 with the same patches.
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, patchMetaFor } from '../src/writes/merge/index.js';
import type { JsonObject } from '../src/writes/merge/problem.js';
import { liveService } from './helpers/live-service.js';

const meta = patchMetaFor('Service');
const live = (): JsonObject => liveService('q2');
const smp = (patch: unknown, base = live()) =>
  applyStrategicMergePatch(base, typeof patch === 'string' ? patch : JSON.stringify(patch), meta);
const at = (r: ReturnType<typeof smp>, ...path: string[]) =>
  r.ok ? path.reduce<any>((o, k) => o?.[k], r.object) : r.problem;
const ports = (r: ReturnType<typeof smp>) =>
  (at(r, 'spec', 'ports') as JsonObject[]).map((p) => [p.port, p.name, p.targetPort]);

describe('strategic merge patch: lists by their schema metadata', () => {
  it('merges ServiceSpec.ports by port (x-kubernetes-patch-merge-key), new items last', () => {
    expect(
      ports(
        smp({
          spec: {
            ports: [
              { port: 81, targetPort: 9081 },
              { name: 'p82', port: 82 },
            ],
          },
        }),
      ),
    ).toEqual([
      [80, 'p80', 80],
      [81, 'p81', 9081],
      [82, 'p82', undefined],
    ]);
  });

  it('merges finalizers as a set (ordered as the patch lists them), and replaces a list without a strategy (externalIPs)', () => {
    const base = {
      ...live(),
      metadata: { name: 'q2', finalizers: ['a/b'] },
      spec: { ...(live().spec as JsonObject), externalIPs: ['192.0.2.1'] },
    };
    const r = smp({ metadata: { finalizers: ['c/d', 'a/b'] }, spec: { externalIPs: ['192.0.2.2'] } }, base);
    expect(at(r, 'metadata', 'finalizers')).toEqual(['c/d', 'a/b']);
    expect(at(r, 'spec', 'externalIPs')).toEqual(['192.0.2.2']);
  });

  it('deletes a port with $patch: delete, and orders with $setElementOrder', () => {
    expect(ports(smp({ spec: { ports: [{ port: 81, $patch: 'delete' }] } }))).toEqual([[80, 'p80', 80]]);
    const ordered = smp({
      spec: {
        '$setElementOrder/ports': [{ port: 82 }, { port: 80 }, { port: 81 }],
        ports: [{ name: 'p82', port: 82 }],
      },
    });
    expect(ports(ordered)).toEqual([
      [82, 'p82', undefined],
      [80, 'p80', 80],
      [81, 'p81', 81],
    ]);
  });

  it('replaces a map with $patch: replace, keeps only $retainKeys, deletes with null', () => {
    expect(at(smp({ metadata: { labels: { $patch: 'replace', b: '2' } } }), 'metadata', 'labels')).toEqual({ b: '2' });
    expect(at(smp({ spec: { selector: { $retainKeys: ['tier'], tier: 't' } } }), 'spec', 'selector')).toEqual({
      tier: 't',
    });
    expect(at(smp({ metadata: { labels: { a: null } } }), 'metadata', 'labels')).toEqual({});
  });

  it('keeps 1.20 quirks: $deleteFromPrimitiveList on an absent list sets it; on a list without strategy replaces it', () => {
    expect(at(smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['x/y'] } }), 'metadata', 'finalizers')).toEqual(
      ['x/y'],
    );
    const base = { ...live(), spec: { ...(live().spec as JsonObject), externalIPs: ['192.0.2.1', '192.0.2.2'] } };
    expect(
      at(smp({ spec: { '$deleteFromPrimitiveList/externalIPs': ['192.0.2.1'] } }, base), 'spec', 'externalIPs'),
    ).toEqual(['192.0.2.1']);
    const withFinalizers = { ...live(), metadata: { name: 'q2', finalizers: ['a/b', 'c/d'] } };
    expect(
      at(
        smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a/b'] } }, withFinalizers),
        'metadata',
        'finalizers',
      ),
    ).toEqual(['c/d']);
  });

  it('copies a null inside a map the object lacks (decoding then makes it "")', () => {
    expect(at(smp({ metadata: { annotations: { k: null, j: 'v' } } }), 'metadata', 'annotations')).toEqual({
      k: null,
      j: 'v',
    });
  });

  it('does not change its input', () => {
    const input = live();
    const before = JSON.stringify(input);
    smp({ metadata: { labels: { $patch: 'replace' } }, spec: { ports: [{ port: 80, $patch: 'delete' }] } }, input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('strategic merge patch: refusals, in the real server words', () => {
  it.each([
    [{ metadata: { labels: { $patch: 'foo' } } }, 500, '', 'unknown patch type: foo in map: map[$patch:foo]'],
    [
      { spec: { selector: { $retainKeys: ['app'], tier: 't' } } },
      400,
      'BadRequest',
      'invalid patch format of retainKeys',
    ],
    [
      { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ name: 'p83', port: 83 }] } },
      500,
      '',
      "The order in patch list:\n[map[name:p83 port:83]]\n doesn't match $setElementOrder list:\n[map[port:80]]\n",
    ],
    [
      { spec: { ports: [{ port: 80, $patch: 'merge' }] } },
      500,
      '',
      'merging lists cannot yet be specified in the patch',
    ],
    [{ spec: { ports: [{ name: 'zz' }] } }, 500, '', 'map: map[name:zz] does not contain declared merge key: port'],
    [{ metadata: { $deleteFromPrimitiveList: ['a'] } }, 400, 'BadRequest', 'invalid patch format of primitive list'],
  ])('%j → %i', (patch, status, reason, message) => {
    const r = smp(patch);
    expect(r.ok ? r : r.problem).toEqual({ status, reason, message });
  });

  it('refuses lists whose items are of different types', () => {
    const base = { ...live(), metadata: { name: 'q2', finalizers: ['x/y'] } };
    expect(smp({ metadata: { finalizers: ['a', 1] } }, base)).toEqual({
      ok: false,
      problem: { status: 500, reason: '', message: 'list element types are not identical: [[x/y] [a 1]]' },
    });
    expect(smp({ metadata: { finalizers: [['a']] } }, base)).toEqual({
      ok: false,
      problem: { status: 500, reason: '', message: 'list element types are not identical: [[x/y] [[a]]]' },
    });
  });

  it.each([
    ['[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['"x"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['{', 'unexpected EOF'],
    [' ', 'EOF'],
  ])('answers the body %s with 400 %s', (body, message) => {
    const r = smp(body);
    expect(r.ok ? r : r.problem).toEqual({ status: 400, reason: 'BadRequest', message });
  });

  it('reads only the first JSON value of the body, and null as an empty patch', () => {
    expect(at(smp('{"metadata":{"labels":{"g":"1"}}} xx'), 'metadata', 'labels')).toEqual({ a: '1', g: '1' });
    expect(smp('null')).toEqual({ ok: true, object: live() });
  });
});
