// The source documents the spec is transcribed from, one folder each under spec/source/:
//
//   spec/source/<name>/source.yaml       what the document is and what it covers (the declaration)
//   spec/source/<name>/<document>        the document itself, never edited
//   spec/source/<name>/deviations.yaml   where the spec deliberately differs from it, with reasons
//
// `document` names the file; a source published as several extracts of one document (the upstream
// swagger's read side and write side) lists them all under `documents` instead.
//
// Differences of shared components that hold against every source (the gateway's error responses,
// the Status schema of every error body) are declared once, in spec/source/shared-deviations.yaml
// (SHARED_DEVIATIONS): a source's finding matches its own deviations.yaml or a shared declaration,
// and a shared declaration is stale only when no source has the finding.
//
// source.yaml `kind` picks the checker: `cci-page` (an exported CCI API reference page; it names its
// own operation) or `kubernetes-swagger` (an extract of Kubernetes' swagger 2.0 document; `operations`
// lists the operationIds it covers). Adding an operation therefore means spec files plus one line in
// a source declaration — no checker names an operation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { readSourcePage } from './cci-page.js';
import { checkCciPage } from './fidelity/cci-page.js';
import { checkKubernetesSwagger } from './fidelity/kubernetes-swagger.js';
import { declarationKey } from './fidelity/declarations.js';
import { operationsOf } from './fidelity/reachable.js';
import { readSwaggerExtracts } from './kubernetes-swagger.js';

/**
 * @typedef {{ kind: 'cci-page', document: string } | { kind: 'kubernetes-swagger', document: string, documents?: string[], operations: string[], mediaTypes?: Record<string, string> }} SourceDeclaration
 * @typedef {{ name: string, dir: string, declaration: SourceDeclaration, deviations: import('./fidelity/declarations.js').Deviation[] }} Source
 */

/** @param {string} path */
function readYaml(path) {
  try {
    return YAML.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${/** @type {Error} */ (error).message}`);
  }
}

/** The shared declarations' file name, in spec/source/. */
const SHARED_DEVIATIONS = 'shared-deviations.yaml';

/** The shared declarations of `sourceDir` (none when the file is absent). @param {string} sourceDir */
export const loadSharedDeviations = (sourceDir) => readDeviations(join(sourceDir, SHARED_DEVIATIONS));

/** @param {string} path @returns {import('./fidelity/declarations.js').Deviation[]} */
function readDeviations(path) {
  if (!existsSync(path)) return [];
  const deviations = readYaml(path) ?? [];
  if (!Array.isArray(deviations)) throw new Error(`${path}: expected a list of declarations`);
  return deviations;
}

/** @param {unknown} declaration @param {string} where @returns {SourceDeclaration} */
function validateDeclaration(declaration, where) {
  const d = /** @type {any} */ (declaration);
  if (!d || typeof d !== 'object') throw new Error(`${where}: expected a mapping`);
  if (
    d.kind === 'kubernetes-swagger' &&
    d.document === undefined &&
    Array.isArray(d.documents) &&
    d.documents.length > 0
  ) {
    if (!d.documents.every((/** @type {unknown} */ name) => typeof name === 'string' && name))
      throw new Error(`${where}: "documents" must list file names`);
    d.document = d.documents[0];
  }
  if (typeof d.document !== 'string' || !d.document)
    throw new Error(`${where}: "document" (the file name of the source document) is required`);
  if (d.kind === 'cci-page') return d;
  if (d.kind === 'kubernetes-swagger') {
    if (
      !Array.isArray(d.operations) ||
      d.operations.length === 0 ||
      !d.operations.every((/** @type {unknown} */ id) => typeof id === 'string')
    ) {
      throw new Error(`${where}: "operations" must list the operationIds this source covers`);
    }
    return d;
  }
  throw new Error(`${where}: unknown kind ${JSON.stringify(d.kind)} (expected cci-page or kubernetes-swagger)`);
}

/**
 * The sources under `sourceDir` (spec/source), by folder name. A tree from before sources had
 * folders (one page + deviations.yaml directly in spec/source) reads as one `cci-page` source, so
 * the review kit can still report on an old base commit.
 * @param {string} sourceDir @returns {Source[]}
 */
export function loadSources(sourceDir) {
  if (!existsSync(sourceDir)) return [];
  /** @type {Source[]} */
  const sources = [];
  for (const entry of readdirSync(sourceDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const dir = join(sourceDir, entry.name);
    const declarationPath = join(dir, 'source.yaml');
    if (!existsSync(declarationPath)) continue;
    const declaration = validateDeclaration(readYaml(declarationPath), declarationPath);
    for (const document of documentsOf(declaration)) {
      if (!existsSync(join(dir, document)))
        throw new Error(`${declarationPath}: document ${document} is not in ${dir}`);
    }
    sources.push({ name: entry.name, dir, declaration, deviations: readDeviations(join(dir, 'deviations.yaml')) });
  }
  if (sources.length === 0) {
    const page = readdirSync(sourceDir).find((file) => file.endsWith('.txt'));
    if (page && existsSync(join(sourceDir, 'deviations.yaml'))) {
      sources.push({
        name: 'cci-page',
        dir: sourceDir,
        declaration: { kind: 'cci-page', document: page },
        deviations: readDeviations(join(sourceDir, 'deviations.yaml')),
      });
    }
  }
  return sources;
}

/** The files of a source: its one `document`, or its `documents`. @param {SourceDeclaration} declaration @returns {string[]} */
const documentsOf = (declaration) =>
  'documents' in declaration && declaration.documents ? declaration.documents : [declaration.document];

/** A kubernetes-swagger source's extracts, read as one. @param {Source} source */
export const readSourceExtract = (source) =>
  readSwaggerExtracts(documentsOf(source.declaration).map((document) => join(source.dir, document)));

/** @param {{matched: number, total: number}} count @param {string} what */
const ratio = (count, what) => `${count.matched}/${count.total} ${what}`;

/**
 * Checks one source against the bundled spec, with the shared declarations.
 * @param {Source} source @param {any} spec @param {import('./fidelity/declarations.js').Deviation[]} shared
 */
function checkSource(source, spec, shared) {
  const document = join(source.dir, source.declaration.document);
  const { deviations } = source;
  if (source.declaration.kind === 'cci-page') {
    const report = checkCciPage({ page: readSourcePage(document), spec, deviations, shared });
    const counts = { operations: report.operations, rows: report.rows, statusCodes: report.statusCodes };
    const checked = `${ratio(report.operations, 'operations')}, ${ratio(report.rows, 'rows')}, ${ratio(report.statusCodes, 'status codes')}, response example ${report.example ? 'matched' : 'NOT matched'}`;
    return reportOf(source, report, counts, checked, report.operationId ? [report.operationId] : [], report.example);
  }
  const { operations, mediaTypes } = source.declaration;
  const report = checkKubernetesSwagger({
    extract: readSourceExtract(source),
    operations,
    mediaTypes,
    spec,
    deviations,
    shared,
  });
  const counts = {
    operations: report.operations,
    parameters: report.parameters,
    properties: report.properties,
    responseCodes: report.responseCodes,
  };
  const checked = `${ratio(report.operations, 'operations')}, ${ratio(report.parameters, 'parameters')}, ${ratio(report.properties, 'properties')}, ${ratio(report.responseCodes, 'response codes')}`;
  return reportOf(source, report, counts, checked, [...operations]);
}

/**
 * A source's report. `declared`: how many of the checker's findings (places where the spec differs
 * from the document) a declaration covers, `sharedFindings` how many of those a shared one covers.
 * @param {Source} source
 * @param {{ problems: string[], findings: any[], declared: {matched: number, total: number}, sharedUsed: Set<string> }} report
 * @param {Record<string, {matched: number, total: number}>} counts @param {string} checked
 * @param {string[]} operationIds @param {boolean} [example]
 */
function reportOf(source, report, counts, checked, operationIds, example) {
  return {
    name: source.name,
    kind: source.declaration.kind,
    operationIds,
    problems: report.problems,
    findings: report.findings,
    counts,
    ...(example !== undefined && { example }),
    deviations: source.deviations,
    declared: report.declared,
    sharedUsed: [...report.sharedUsed].sort(),
    sharedFindings: report.findings.filter((finding) => report.sharedUsed.has(declarationKey(finding))).length,
    figure: `${source.name}: ${checked}, ${source.deviations.length} declared deviations`,
  };
}

/** @param {Source} source */
const operationCount = (source) => ('operations' in source.declaration ? source.declaration.operations.length : 0);

/**
 * What to do about operations no source covers: for each, the source whose document already
 * describes it (one line to add), or the steps to add the document it is transcribed from.
 * @param {Source[]} sources @param {{ operationId?: string, method: string, path: string }[]} operations
 */
function uncoveredHelp(sources, operations) {
  const where = (/** @type {Source} */ source) => `spec/source/${source.name}/source.yaml`;
  const lines = operations.map((operation) => {
    const id = operation.operationId ?? '(no operationId)';
    const head = `${id} (${operation.method.toUpperCase()} ${operation.path}) comes from no source document.`;
    const describing = sources.find(
      (source) =>
        source.declaration.kind === 'kubernetes-swagger' &&
        readSourceExtract(source).operations.some((candidate) => candidate.operationId === id),
    );
    if (describing) return `${head} Add "- ${id}" under operations: in ${where(describing)}.`;
    // The upstream document's source: the swagger source that covers the most operations.
    const swagger = sources
      .filter((source) => source.declaration.kind === 'kubernetes-swagger')
      .sort((a, b) => operationCount(b) - operationCount(a))[0];
    const extract = swagger
      ? `an extract of the upstream document holding its path and every definition it reaches, as spec/source/${swagger.name}/<extract>.json, listed under documents: in ${where(swagger)}, and "- ${id}" under its operations:`
      : 'the document it is transcribed from, in a new folder spec/source/<source>/ with its source.yaml';
    return `${head} Add ${extract}; declare what the spec adds in that source's deviations.yaml.`;
  });
  return lines.length === 0
    ? ''
    : `${lines.join('\n')}\nThen rerun the fidelity check: npm run check (or, in spec/, npx vitest run test/fidelity.test.ts).`;
}

/**
 * Every source under `sourceDir` against the bundled spec, the operations of the spec that no
 * source covers (each operation must come from a source) with what to add where, and the shared
 * declarations: which sources use each, and the stale ones.
 * @param {{ sourceDir: string, spec: any }} input
 */
export function checkSources({ sourceDir, spec }) {
  const loaded = loadSources(sourceDir);
  const shared = loadSharedDeviations(sourceDir);
  const sources = loaded.map((source) => checkSource(source, spec, shared));
  const covered = new Set(sources.flatMap((report) => report.operationIds));
  const missing = operationsOf(spec).filter((operation) => !covered.has(operation.operationId));
  const uncovered = missing.map(
    (operation) =>
      `${operation.operationId ?? '(no operationId)'} (${operation.method.toUpperCase()} ${operation.path})`,
  );
  const used = new Set(sources.flatMap((report) => report.sharedUsed));
  const staleShared = shared
    .filter((deviation) => !used.has(declarationKey(deviation)))
    .map(
      (deviation) =>
        `stale declaration in ${SHARED_DEVIATIONS}: ${deviation.field} ${deviation.aspect} differs from no source`,
    );
  return {
    sources,
    uncovered,
    uncoveredHelp: uncoveredHelp(loaded, missing),
    shared: { deviations: shared, problems: staleShared },
  };
}
