// The fidelity figure of one tree (base or head): the bundle held against the source page and the
// declared deviations, exactly as spec/test/fidelity.test.ts does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { checkFidelity, readSourcePage } from '@cce-openapi/spec-kit';

const PAGE = join('spec', 'source', 'read-service-status.zh-CN.txt');
const DEVIATIONS = join('spec', 'source', 'deviations.yaml');

/** @returns {null | { rows: {matched: number, total: number}, statusCodes: {matched: number, total: number}, problems: string[], deviations: {field: string, aspect: string}[] }} */
export function fidelityOf(tree, bundlePath) {
  if (!existsSync(join(tree, PAGE)) || !existsSync(join(tree, DEVIATIONS))) return null;
  const deviations = YAML.parse(readFileSync(join(tree, DEVIATIONS), 'utf8')) ?? [];
  const report = checkFidelity({ page: readSourcePage(join(tree, PAGE)), spec: JSON.parse(readFileSync(bundlePath, 'utf8')), deviations });
  return { rows: report.rows, statusCodes: report.statusCodes, problems: report.problems, deviations: deviations.map(({ field, aspect }) => ({ field, aspect })) };
}

/** Deviations declared in head and not in base (added), and the other way round (removed). */
export function deviationChanges(base, head) {
  const key = (deviation) => `${deviation.field} (${deviation.aspect})`;
  const baseKeys = new Set((base?.deviations ?? []).map(key));
  const headKeys = new Set((head?.deviations ?? []).map(key));
  return { added: [...headKeys].filter((k) => !baseKeys.has(k)), removed: [...baseKeys].filter((k) => !headKeys.has(k)) };
}
