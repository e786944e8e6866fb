// Findings against declarations: every finding of a source check must be declared (same field and
// aspect, same spec value) in the source's deviations.yaml or in the shared declarations
// (spec/source/shared-deviations.yaml: differences of shared components — the gateway's error
// responses, the Status schema — that hold against every source), and every declaration must match
// a finding, so declarations cannot go stale. A source's own declaration that no finding of that
// source matches is stale here; a shared one only when no source's finding matches it (sources.js).

/**
 * @typedef {{ field: string, aspect: string, source: string, spec: string, where?: string }} Finding
 *   `source` is what the source document says, `spec` what the spec says, `where` a location in the
 *   source document for messages ("table 9, row \"nodePort\" (page line 431)").
 * @typedef {{ field: string, aspect: string, source?: string, page?: string, spec: string, why: string }} Deviation
 */

export const normalizeText = (/** @type {unknown} */ text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** Aspects whose `spec` value is prose and is not compared with the declaration. */
const PROSE_ASPECTS = new Set(['description']);

/** The key a finding and its declaration share. @param {{field: string, aspect: string}} item */
export const declarationKey = (item) => `${item.field} ${item.aspect}`;

/**
 * @param {Finding[]} findings
 * @param {Deviation[]} deviations  the source's own (deviations.yaml)
 * @param {Deviation[]} [shared]    the shared declarations; never stale here
 * @returns {{ problems: string[], undeclared: Set<Finding>, sharedUsed: Set<string> }}
 *   `sharedUsed`: the keys of the shared declarations a finding matched.
 */
export function matchDeclarations(findings, deviations, shared = []) {
  const key = declarationKey;
  /** @type {string[]} */
  const problems = [];
  /** @type {Map<string, Deviation>} */
  const declared = new Map();
  for (const deviation of deviations) {
    if (declared.has(key(deviation)))
      problems.push(`deviations.yaml declares ${deviation.field} ${deviation.aspect} twice`);
    declared.set(key(deviation), deviation);
  }
  /** @type {Set<string>} */
  const sharedKeys = new Set();
  for (const deviation of shared) {
    if (declared.has(key(deviation)))
      problems.push(
        `${deviation.field} ${deviation.aspect} is declared in deviations.yaml and in shared-deviations.yaml: keep one`,
      );
    else {
      declared.set(key(deviation), deviation);
      sharedKeys.add(key(deviation));
    }
  }
  /** @type {Set<string>} */
  const sharedUsed = new Set();
  /** @type {Set<Finding>} */
  const undeclared = new Set();
  /** @type {Set<string>} */
  const reported = new Set();
  for (const finding of findings) {
    const declaration = declared.get(key(finding));
    if (declaration && sharedKeys.has(key(finding))) sharedUsed.add(key(finding));
    const where = finding.where ? `${finding.where}: ` : '';
    let problem;
    if (!declaration) {
      problem = `${where}${finding.field}: undeclared ${finding.aspect} difference — source says "${finding.source}", spec says "${finding.spec}"`;
    } else if (!PROSE_ASPECTS.has(finding.aspect) && normalizeText(declaration.spec) !== normalizeText(finding.spec)) {
      problem = `${where}${finding.field}: ${finding.aspect} is declared as "${declaration.spec}" but the spec says "${finding.spec}"`;
    } else if (!normalizeText(declaration.why)) {
      problems.push(`${finding.field} ${finding.aspect}: the declaration gives no reason ("why")`);
    }
    if (problem) {
      undeclared.add(finding);
      // The same finding can come from several operations (a shared parameter): report it once.
      if (!reported.has(problem)) problems.push(problem);
      reported.add(problem);
    }
  }
  const found = new Set(findings.map(key));
  for (const deviation of deviations) {
    if (!found.has(key(deviation)))
      problems.push(
        `stale declaration in deviations.yaml: ${deviation.field} ${deviation.aspect} no longer differs from the source`,
      );
  }
  return { problems, undeclared, sharedUsed };
}
