// The source documents the spec is transcribed from, one folder each under spec/source/:
//
//   spec/source/<name>/source.yaml       what the document is and what it covers (the declaration)
//   spec/source/<name>/<document>        the document itself, never edited
//   spec/source/<name>/deviations.yaml   where the spec deliberately differs from it, with reasons
//
// `document` names the file; a source published as several extracts of one document (the upstream
// swagger's read side and write side) lists them all under `documents` instead.
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
 * Checks one source against the bundled spec.
 * @param {Source} source @param {any} spec
 */
function checkSource(source, spec) {
  const document = join(source.dir, source.declaration.document);
  const declared = `${source.deviations.length} declared deviations`;
  if (source.declaration.kind === 'cci-page') {
    const report = checkCciPage({ page: readSourcePage(document), spec, deviations: source.deviations });
    const counts = { operations: report.operations, rows: report.rows, statusCodes: report.statusCodes };
    const figure = `${source.name}: ${ratio(report.operations, 'operations')}, ${ratio(report.rows, 'rows')}, ${ratio(report.statusCodes, 'status codes')}, response example ${report.example ? 'matched' : 'NOT matched'}, ${declared}`;
    return {
      name: source.name,
      kind: source.declaration.kind,
      operationIds: report.operationId ? [report.operationId] : [],
      problems: report.problems,
      findings: report.findings,
      counts,
      example: report.example,
      deviations: source.deviations,
      figure,
    };
  }
  const { operations, mediaTypes } = source.declaration;
  const report = checkKubernetesSwagger({
    extract: readSourceExtract(source),
    operations,
    mediaTypes,
    spec,
    deviations: source.deviations,
  });
  const counts = {
    operations: report.operations,
    parameters: report.parameters,
    properties: report.properties,
    responseCodes: report.responseCodes,
  };
  const figure = `${source.name}: ${ratio(report.operations, 'operations')}, ${ratio(report.parameters, 'parameters')}, ${ratio(report.properties, 'properties')}, ${ratio(report.responseCodes, 'response codes')}, ${declared}`;
  return {
    name: source.name,
    kind: source.declaration.kind,
    operationIds: [...operations],
    problems: report.problems,
    findings: report.findings,
    counts,
    deviations: source.deviations,
    figure,
  };
}

/**
 * Every source under `sourceDir` against the bundled spec, plus the operations of the spec that no
 * source covers (each operation must come from a source).
 * @param {{ sourceDir: string, spec: any }} input
 */
export function checkSources({ sourceDir, spec }) {
  const sources = loadSources(sourceDir).map((source) => checkSource(source, spec));
  const covered = new Set(sources.flatMap((report) => report.operationIds));
  const uncovered = operationsOf(spec)
    .filter((operation) => !covered.has(operation.operationId))
    .map(
      (operation) =>
        `${operation.operationId ?? '(no operationId)'} (${operation.method.toUpperCase()} ${operation.path})`,
    );
  return { sources, uncovered };
}
