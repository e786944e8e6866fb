// Turns `redocly diff --format json` into the review's breaking / non-breaking lists.
//
// redocly diff rates every change by the semver bump it requires (major = breaking). Checked on real
// cases (docs/test/review-diff.test.ts): a removed property, a new required parameter, a removed
// status code and a type change are major; a description-only change is patch. One gap is filled here:
//
//   enum narrowing in a response schema — redocly rates it patch (fewer values can only help a
//   reader of a server it controls). This spec describes someone else's server (CCI's kube-apiserver):
//   narrowing an enum does not stop the server sending the value, it makes our generated types and
//   response validators (mock server, client tests) reject it. So the review rates it major.

import { decodePointerSegment as decode } from '@cci-openapi/spec-kit';

/** @typedef {{ rule: string, message: string, pointer: string, impact: 'major'|'minor'|'patch', source: 'redocly'|'review-kit' }} Change */

/** A short, readable location: `components.schemas.X.properties.y` or `paths./x/y.get`. */
export function describePointer(pointer = '') {
  const parts = pointer.replace(/^#\//, '').split('/').map(decode);
  if (parts[0] === 'paths') return `${parts[1]} ${parts.slice(2).join('.')}`.trim();
  return parts.join('.');
}

const valuesRemoved = (base, revision) =>
  Array.isArray(base) && Array.isArray(revision) ? base.filter((value) => !revision.includes(value)) : [];

/** The review kit's own verdicts, for changes redocly rates wrongly for this repository. */
function reviewKitVerdicts(change) {
  if (change.property === 'enum' && change.kind === 'modified') {
    const removed = valuesRemoved(change.base?.value, change.revision?.value);
    const ruledByRedocly = (change.verdicts ?? []).some((verdict) => verdict.ruleId === 'enum-values-removed');
    if (removed.length > 0 && !ruledByRedocly) {
      return [
        {
          rule: 'enum-values-removed (review kit)',
          impact: 'major',
          message: `Enum of \`${describePointer(change.revision.pointer).replace(/\.enum$/, '')}\` lost values: ${removed.map((value) => `'${value}'`).join(', ')} — types and validators made from the spec now reject what the server still sends.`,
        },
      ];
    }
  }
  return [];
}

function describeUnruled(change) {
  const at = describePointer(change.revision?.pointer ?? change.base?.pointer ?? change.path);
  const what = change.property ? `${change.property} ${change.kind}` : `${change.typeName ?? 'node'} ${change.kind}`;
  return `${what}: \`${at}\``;
}

/**
 * @param {any} report the JSON of `redocly diff --format json`
 * @returns {{ breaking: Change[], nonBreaking: Change[], redoclyBump: string }}
 */
export function classifyChanges(report) {
  /** @type {Map<string, Change>} */
  const unique = new Map();
  const add = (change) => {
    const key = `${change.rule}|${change.message}`;
    const known = unique.get(key);
    if (!known || rank(change.impact) > rank(known.impact)) unique.set(key, change);
  };
  for (const change of report.changes ?? []) {
    const pointer = change.revision?.pointer ?? change.base?.pointer ?? change.path;
    const verdicts = change.verdicts ?? [];
    for (const verdict of verdicts)
      add({
        rule: verdict.ruleId,
        message: verdict.message,
        pointer: verdict.location?.pointer ?? pointer,
        impact: verdict.impact,
        source: 'redocly',
      });
    const own = reviewKitVerdicts(change);
    for (const verdict of own) add({ ...verdict, pointer, source: 'review-kit' });
    if (verdicts.length === 0 && own.length === 0)
      add({ rule: change.kind, message: describeUnruled(change), pointer, impact: change.impact, source: 'redocly' });
  }
  const all = [...unique.values()];
  return {
    breaking: all.filter((change) => change.impact === 'major'),
    nonBreaking: all.filter((change) => change.impact !== 'major'),
    redoclyBump: report.bump ?? 'none',
  };
}

const rank = (impact) => ({ patch: 1, minor: 2, major: 3 })[impact] ?? 0;
