// redocly diff on real cases, through the review kit's classification: what a reviewer is told.
// Each case mutates the real bundled spec and runs the real `redocly diff` with the kit's ruleset.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyChanges } from '../../scripts/lib/review-bodies.mjs';
import { classifyChanges } from '../../scripts/lib/review-changes.mjs';
import { redoclyDiff } from '../../scripts/lib/review-tools.mjs';
import { bundledSpec, documentedOperations, repoRoot, requireBuilt } from './support/paths.js';

requireBuilt();
const base = JSON.parse(readFileSync(bundledSpec, 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-diff-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
writeFileSync(join(scratch, 'base.json'), JSON.stringify(base));

function diffAgainstBase(name: string, mutate: (spec: any) => void) {
  const head = structuredClone(base);
  mutate(head);
  writeFileSync(join(scratch, `${name}.json`), JSON.stringify(head));
  return classifyChanges(
    redoclyDiff({ repoRoot, base: join(scratch, 'base.json'), head: join(scratch, `${name}.json`) }),
  );
}

/** The write operation of the spec with the most request media types (the patch), found, not named. */
const write = documentedOperations(base)
  .filter((operation) => operation.requestBody)
  .sort((a, b) => Object.keys(b.requestBody!.content).length - Object.keys(a.requestBody!.content).length)[0]!;
const operation = (spec: any) => spec.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;

describe('redocly diff, as the review kit reports it', () => {
  it('a removed property is breaking', () => {
    const result = diffAgainstBase(
      'removed-property',
      (spec) => delete spec.components.schemas.LoadBalancerIngress.properties.hostname,
    );
    expect(result.breaking).toEqual([
      expect.objectContaining({
        rule: 'property-removed',
        message: 'Property `hostname` of `LoadBalancerIngress` was removed.',
        source: 'redocly',
      }),
    ]);
  });

  it('a new required parameter is breaking', () => {
    const result = diffAgainstBase('required-parameter', (spec) =>
      operation(spec).parameters.push({
        name: 'watch',
        in: 'query',
        required: true,
        description: 'watch',
        schema: { type: 'boolean' },
      }),
    );
    expect(result.breaking).toEqual([
      expect.objectContaining({
        rule: 'parameter-became-required',
        message: 'Required `watch` query parameter was added.',
      }),
    ]);
  });

  it('a narrowed enum is breaking (a gap the kit fills: redocly rates it patch in a response)', () => {
    // WatchEvent is only ever answered, never sent: redocly alone would call this a patch.
    const result = diffAgainstBase('narrowed-enum', (spec) => {
      spec.components.schemas.WatchEvent.properties.type.enum =
        spec.components.schemas.WatchEvent.properties.type.enum.filter((value: string) => value !== 'BOOKMARK');
    });
    expect(result.redoclyBump).toBe('patch');
    expect(result.breaking).toEqual([
      expect.objectContaining({
        rule: 'enum-values-removed (review kit)',
        source: 'review-kit',
        message: expect.stringContaining("lost values: 'BOOKMARK'"),
      }),
    ]);
  });

  it('a narrowed enum in a schema the write operations also send is breaking by redocly itself', () => {
    const result = diffAgainstBase('narrowed-request-enum', (spec) => {
      spec.components.schemas.ServiceSpec.properties.sessionAffinity.enum = ['ClientIP'];
    });
    expect(result.redoclyBump).toBe('major');
    expect(result.breaking.length).toBeGreaterThan(0);
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
    // ServicePort is answered and sent (create, replace): redocly reports the change on both sides.
    const typeChange = diffAgainstBase(
      'type-change',
      (spec) => (spec.components.schemas.ServicePort.properties.port.type = 'string'),
    ).breaking;
    expect(typeChange.length).toBeGreaterThan(0);
    expect(new Set(typeChange.map((change) => change.rule))).toEqual(new Set(['schema-type-changed']));
    const added = diffAgainstBase(
      'added-property',
      (spec) => (spec.components.schemas.LoadBalancerIngress.properties.zone = { type: 'string', description: 'zone' }),
    );
    expect(added.breaking).toEqual([]);
    expect(added.nonBreaking).toEqual([expect.objectContaining({ impact: 'minor' })]);
  });

  it('an added write operation (a required request body in several media types) is a non-breaking addition, its body and media types named', () => {
    expect(Object.keys(write.requestBody!.content).length).toBeGreaterThan(1);
    // The base is the spec without the operation; the head is the spec as it is.
    const without = structuredClone(base);
    delete without.paths[write.path][write.method];
    writeFileSync(join(scratch, 'without-write.json'), JSON.stringify(without));
    const result = classifyChanges(
      redoclyDiff({ repoRoot, base: join(scratch, 'without-write.json'), head: join(scratch, 'base.json') }),
    );
    expect(result.breaking).toEqual([]);
    expect(result.redoclyBump).toBe('minor');
    expect(result.nonBreaking).toEqual([
      expect.objectContaining({
        rule: 'added',
        impact: 'minor',
        message: `Operation added: \`${write.path} ${write.method}\``,
      }),
    ]);
    // What redocly does not say, the kit does: which operation, its body, each media type and schema.
    const bodies = bodyChanges(without, base);
    expect(bodies).toEqual([
      expect.objectContaining({
        operationId: write.operationId,
        method: write.method.toUpperCase(),
        path: write.path,
        added: true,
        body: { required: true },
      }),
    ]);
    expect(bodies[0]!.request.map(({ mediaType, change }) => [mediaType, change])).toEqual(
      Object.keys(write.requestBody!.content).map((mediaType) => [mediaType, 'added']),
    );
    expect(bodies[0]!.request.every(({ schema }) => /^\w+$/.test(schema))).toBe(true);
  });

  it("narrowing a write operation's request body is breaking; the kit says which operations it touches", () => {
    const [removed, ...kept] = Object.keys(write.requestBody!.content).reverse();
    const narrowed = structuredClone(base);
    // Inline on this operation only (the component may be shared), without one media type.
    narrowed.paths[write.path][write.method].requestBody = {
      required: true,
      content: Object.fromEntries(
        kept.reverse().map((mediaType) => [mediaType, write.requestBody!.content[mediaType]]),
      ),
    };
    writeFileSync(join(scratch, 'narrowed.json'), JSON.stringify(narrowed));
    const result = classifyChanges(
      redoclyDiff({ repoRoot, base: join(scratch, 'base.json'), head: join(scratch, 'narrowed.json') }),
    );
    expect(result.breaking).toEqual([
      expect.objectContaining({ rule: 'media-type-removed', message: `Media type \`${removed}\` was removed.` }),
    ]);
    const [touched, ...others] = bodyChanges(base, narrowed);
    expect(others).toEqual([]);
    expect(touched).toMatchObject({ operationId: write.operationId, added: false });
    expect(touched!.request.filter((media) => media.change !== 'kept')).toEqual([
      expect.objectContaining({ mediaType: removed, change: 'removed' }),
    ]);
  });

  it('an optional request body becoming required is breaking, and the kit shows it was optional', () => {
    const optional = documentedOperations(base).find(
      (operation) => operation.requestBody && !operation.requestBody.required,
    );
    expect(optional, 'an operation with an optional body (delete)').toBeDefined();
    const result = diffAgainstBase('body-required', (spec) => {
      spec.paths[optional!.path][optional!.method].requestBody = { ...optional!.requestBody, required: true };
    });
    expect(result.breaking).toEqual([expect.objectContaining({ rule: 'request-body-became-required' })]);
    const head = structuredClone(base);
    head.paths[optional!.path][optional!.method].requestBody = { ...optional!.requestBody, required: true };
    expect(bodyChanges(base, head)).toEqual([
      expect.objectContaining({ operationId: optional!.operationId, body: { required: true, requiredBefore: false } }),
    ]);
  });

  it('an unchanged spec has no request body changes', () => {
    expect(bodyChanges(base, structuredClone(base))).toEqual([]);
  });
});
