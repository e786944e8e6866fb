// redocly diff on real cases, through the review kit's classification: what a reviewer is told.
// Each case mutates the real bundled spec and runs the real `redocly diff` with the kit's ruleset.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyChanges } from '../../scripts/lib/review-changes.mjs';
import { redoclyDiff } from '../../scripts/lib/review-tools.mjs';
import { bundledSpec, repoRoot, requireBuilt } from './support/paths.js';

requireBuilt();
const base = JSON.parse(readFileSync(bundledSpec, 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-diff-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
writeFileSync(join(scratch, 'base.json'), JSON.stringify(base));

function diffAgainstBase(name: string, mutate: (spec: any) => void) {
  const head = structuredClone(base);
  mutate(head);
  writeFileSync(join(scratch, `${name}.json`), JSON.stringify(head));
  return classifyChanges(redoclyDiff({ repoRoot, base: join(scratch, 'base.json'), head: join(scratch, `${name}.json`) }));
}
const operation = (spec: any) => spec.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;

describe('redocly diff, as the review kit reports it', () => {
  it('a removed property is breaking', () => {
    const result = diffAgainstBase('removed-property', (spec) => delete spec.components.schemas.LoadBalancerIngress.properties.hostname);
    expect(result.breaking).toEqual([
      expect.objectContaining({ rule: 'property-removed', message: 'Property `hostname` of `LoadBalancerIngress` was removed.', source: 'redocly' }),
    ]);
  });

  it('a new required parameter is breaking', () => {
    const result = diffAgainstBase('required-parameter', (spec) =>
      operation(spec).parameters.push({ name: 'watch', in: 'query', required: true, description: 'watch', schema: { type: 'boolean' } }),
    );
    expect(result.breaking).toEqual([expect.objectContaining({ rule: 'parameter-became-required', message: 'Required `watch` query parameter was added.' })]);
  });

  it('a narrowed enum is breaking (a gap the kit fills: redocly rates it patch in a response)', () => {
    const result = diffAgainstBase('narrowed-enum', (spec) => {
      spec.components.schemas.ServiceSpec.properties.sessionAffinity.enum = ['ClientIP'];
    });
    expect(result.redoclyBump).toBe('patch');
    expect(result.breaking).toEqual([
      expect.objectContaining({ rule: 'enum-values-removed (review kit)', source: 'review-kit', message: expect.stringContaining("lost values: 'None'") }),
    ]);
  });

  it('a description-only change is not breaking', () => {
    const result = diffAgainstBase('description-only', (spec) => {
      spec.components.schemas.LoadBalancerIngress.properties.hostname.description += ' (reworded)';
      operation(spec).description += '\nMore words.';
    });
    expect(result.breaking).toEqual([]);
    expect(result.nonBreaking.length).toBeGreaterThanOrEqual(2);
    expect(result.nonBreaking.every((change) => change.impact === 'patch')).toBe(true);
  });

  it('a removed status code and a changed type are breaking; an added optional property is not', () => {
    expect(diffAgainstBase('removed-status', (spec) => delete operation(spec).responses['409']).breaking).toEqual([
      expect.objectContaining({ rule: 'response-removed', message: 'Response `409` was removed.' }),
    ]);
    expect(diffAgainstBase('type-change', (spec) => (spec.components.schemas.ServicePort.properties.port.type = 'string')).breaking).toEqual([
      expect.objectContaining({ rule: 'schema-type-changed' }),
    ]);
    const added = diffAgainstBase(
      'added-property',
      (spec) => (spec.components.schemas.LoadBalancerIngress.properties.zone = { type: 'string', description: 'zone' }),
    );
    expect(added.breaking).toEqual([]);
    expect(added.nonBreaking).toEqual([expect.objectContaining({ impact: 'minor' })]);
  });
});
