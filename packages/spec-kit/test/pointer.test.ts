import { describe, expect, it } from 'vitest';
import { deref, pointerKeys, pointerOf, refName, resolvePointer } from '@cci-openapi/spec-kit';

const doc = {
  paths: { '/api/v1/services': { get: { responses: { '200': { $ref: '#/components/responses/OK' } } } } },
  components: {
    responses: { OK: { $ref: '#/components/responses/Real' }, Real: { description: 'OK' } },
    schemas: { 'a~b': { type: 'string' } },
    loop: { a: { $ref: '#/components/loop/b' }, b: { $ref: '#/components/loop/a' } },
  },
};

describe('JSON pointers', () => {
  it('decode ~1 and ~0 in the RFC 6901 order', () => {
    expect(pointerKeys('#/paths/~1api~1v1~1services/get')).toEqual(['paths', '/api/v1/services', 'get']);
    expect(pointerKeys('#/a/~01')).toEqual(['a', '~1']);
    expect(pointerOf(['paths', '/api/v1/services'])).toBe('#/paths/~1api~1v1~1services');
    expect(pointerOf(['components', 'schemas', 'a~b'])).toBe('#/components/schemas/a~0b');
    expect(resolvePointer(doc, pointerOf(['components', 'schemas', 'a~b']))).toEqual({ type: 'string' });
    expect(refName('#/components/schemas/a~0b')).toBe('a~b');
  });

  it('follows chains of references and stops at a real node', () => {
    const ok = doc.paths['/api/v1/services'].get.responses['200'];
    expect(deref(doc, ok)).toEqual({ description: 'OK' });
    expect(deref(doc, undefined)).toBeUndefined();
  });

  it('fails clearly on a pointer that leads nowhere, an external ref and a cycle', () => {
    expect(() => resolvePointer(doc, '#/components/schemas/Nope')).toThrow(
      'unresolvable reference #/components/schemas/Nope',
    );
    expect(() => resolvePointer(doc, 'other.yaml#/x')).toThrow(/only local references/);
    expect(() => deref(doc, { $ref: '#/components/loop/a' })).toThrow(/reference cycle/);
  });
});
