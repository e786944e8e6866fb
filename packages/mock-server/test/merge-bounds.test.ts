// Bad and hostile patch bodies: every engine answers with the real server's refusal or a result,
// never an exception: nesting is refused from 1,000 levels (Go: 10,000; see go-json.ts), bodies above
// 1 MiB are checked again as the apiserver does.
import { describe, expect, it } from 'vitest';
import { updateManagedFields } from '../src/writes/fields/index.js';
import { applyPatch, patchMetaFor } from '../src/writes/merge/index.js';
import type { JsonObject } from '../src/writes/merge/problem.js';

const live = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'a', namespace: 'n', uid: 'u', labels: { a: '1' } },
  spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] },
  status: { loadBalancer: {} },
});
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile bodies', () => {
  it("refuses nesting deeper than 1,000 levels with Go's words, and handles nesting just within it", () => {
    expect(applyPatch('json', live(), nested(1_001))).toMatchObject({
      ok: false,
      status: 400,
      message: 'exceeded max depth',
    });
    expect(applyPatch('strategic', live(), `{"a":${nested(1_001)}}`)).toMatchObject({
      ok: false,
      status: 400,
      message: 'exceeded max depth',
    });
    expect(applyPatch('merge', live(), `{"a":${nested(1_001)}}`)).toMatchObject({
      ok: false,
      status: 500,
      message: 'Invalid JSON Patch',
    });
    const deep = JSON.stringify([{ op: 'test', path: '/metadata/labels/a', value: JSON.parse(nested(900)) }]);
    expect(applyPatch('json', live(), deep)).toMatchObject({ ok: false, status: 422 });
    expect(applyPatch('merge', live(), `{"metadata":{"annotations":{"x":${nested(900)}}}}`)).toMatchObject({
      ok: false,
      status: 422,
    });
    expect(applyPatch('strategic', live(), `{"spec":{"unknown":${nested(900)}}}`)).toMatchObject({ ok: true });
  });

  it('checks a body above 1 MiB against the shape the apiserver decodes it as first', () => {
    const big = JSON.stringify({ metadata: { annotations: { big: 'x'.repeat(1024 * 1024) } } });
    expect(applyPatch('json', live(), big)).toEqual({
      ok: false,
      status: 400,
      reason: 'BadRequest',
      message: 'error decoding patch: json: cannot unmarshal object into Go value of type []interface {}',
    });
    expect(applyPatch('merge', live(), big)).toMatchObject({ ok: true });
  });

  it('answers an apply body that is not a map, or that aliases without end, with 400', () => {
    expect(applyPatch('apply', live(), '- a\n', { fieldManager: 'm' })).toMatchObject({
      ok: false,
      status: 400,
      reason: 'BadRequest',
    });
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(applyPatch('apply', live(), bomb, { fieldManager: 'm' })).toMatchObject({ ok: false, status: 400 });
  });

  it('treats managedFields it cannot read in a JSON patch like the real server: falls back, no crash', () => {
    let deep: unknown = {};
    for (let i = 0; i < 500; i++) deep = { 'f:a': deep };
    const r = applyPatch(
      'json',
      live(),
      JSON.stringify([
        {
          op: 'add',
          path: '/metadata/managedFields',
          value: [{ manager: 'x', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: deep }],
        },
      ]),
    );
    if (!r.ok) throw new Error(r.message);
    // The request's managedFields cannot be read: the live object's are used (it has none: untracked).
    expect(
      updateManagedFields(live(), r.object, patchMetaFor('Service'), { manager: 'm', time: '2026-12-07T00:00:00Z' }),
    ).toBeUndefined();
  });
});
