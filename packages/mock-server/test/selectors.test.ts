// The selector parsers against the cases of Kubernetes' own tests (k8s.io/apimachinery
// pkg/labels/selector_test.go, pkg/fields/selector_test.go): what parses, what does not, what matches.
import { describe, expect, it } from 'vitest';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector, SelectorError } from '../src/selectors.js';

describe('label selector parsing (TestSelectorParse)', () => {
  it.each([
    'x=a,y=b,z=c',
    '',
    'x!=a,y=b',
    'x=',
    'x= ',
    'x=,z= ',
    'x= ,z= ',
    '!x',
    'x>1',
    'x>1,z<5',
    'x in (a)',
    'x in (a,b,c)',
    'x notin (a, b)',
    'x in (,)',
    'x in (a,,b)',
    'example.com/app=web',
    'x in (in)',
    'notin notin (notin)',
  ])('parses %j', (selector) => {
    expect(() => parseLabelSelector(selector)).not.toThrow();
  });

  it.each([
    'x=a||y=b',
    'x==a==b',
    '!x=a',
    'x<a',
    'x in a',
    'x in (a',
    ',x',
    'x,',
    'x=a b',
    'Example.com/app=web',
    'a/b/c=d',
    `x=${'v'.repeat(64)}`,
    `${'k'.repeat(64)}=v`,
  ])('refuses %j with a SelectorError', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });

  it('sorts requirements by key and values within a set, as the Go parser does', () => {
    expect(parseLabelSelector('z=1,a in (c,b),m')).toEqual([
      { key: 'a', operator: 'in', values: ['b', 'c'] },
      { key: 'm', operator: 'exists', values: [] },
      { key: 'z', operator: '=', values: ['1'] },
    ]);
  });

  it('words the errors as kube-apiserver does', () => {
    expect(() => parseLabelSelector('x==a==b')).toThrow("found '==', expected: ',' or 'end of string'");
    expect(() => parseLabelSelector('Example.com/app=web')).toThrow(
      /^unable to parse requirement: invalid label key "Example\.com\/app": prefix part a lowercase RFC 1123 subdomain/,
    );
    expect(() => parseLabelSelector(`x=${'v'.repeat(64)}`)).toThrow(
      /invalid label value: "v{64}": at key: "x": must be no more than 63 characters/,
    );
  });
});

describe('label selector matching (TestSelectorMatches)', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'a' }, false],
  ])('%j on %j → %s', (selector, labels, expected) => {
    expect(labelsMatch(parseLabelSelector(selector), labels)).toBe(expected);
  });
});

describe('field selectors', () => {
  it('parse =, == and != on the metadata fields, with escapes', () => {
    expect(parseFieldSelector('metadata.name=a\\,b,metadata.namespace!=x')).toEqual([
      { field: 'metadata.name', negated: false, value: 'a,b' },
      { field: 'metadata.namespace', negated: true, value: 'x' },
    ]);
    expect(
      fieldsMatch(parseFieldSelector('metadata.name==web,metadata.namespace!=kube-system'), {
        name: 'web',
        namespace: 'default',
      }),
    ).toBe(true);
    expect(fieldsMatch(parseFieldSelector('metadata.name=web'), { name: 'api', namespace: 'default' })).toBe(false);
  });

  it.each([
    [
      'spec.clusterIP=None',
      '"spec.clusterIP" is not a known field selector: only "metadata.name", "metadata.namespace"',
    ],
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['metadata.name=a,b', "invalid selector: 'metadata.name=a,b'; can't understand 'b'"],
  ])('refuses %j: %s', (selector, message) => {
    expect(() => parseFieldSelector(selector)).toThrow(message);
  });
});
