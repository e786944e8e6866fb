// Holds the bundled spec against the source page, row by row, and against the declared deviations.
//
// A *finding* is one place where the spec says something the page's table does not:
//   deviation  — type | format | description | location: the spec contradicts the table;
//   refinement — readOnly | deprecated | required | enum | bounds: the spec says more than the table;
//   addition   — added: a property, schema or security scheme the page does not have.
// Every finding must be declared in spec/source/deviations.yaml (same field, aspect and spec value),
// and every declaration must match a finding, so declarations cannot go stale.

import { deref, refName as shortName, resolvePointer } from './pointer.js';

/** @typedef {import('./cce-page.js').SourcePage} SourcePage */
/** @typedef {{ field: string, aspect: string, page: string, spec: string, table?: number, row?: string, line?: number }} Finding */
/** @typedef {{ field: string, aspect: string, page?: string, spec: string, why: string }} Deviation */

const REFINEMENTS = ['readOnly', 'deprecated', 'required', 'enum', 'bounds'];
const BOUND_KEYWORDS = ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern'];

export const normalizeText = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();

const resolveRef = resolvePointer;

/** Renders a spec schema in the page's type vocabulary ("String", "Array of X objects", …). */
export function describeSpecType(spec, schema) {
  if (schema.$ref) {
    const target = resolveRef(spec, schema.$ref);
    return target.type === 'object' ? `${target.title} object` : describeSpecType(spec, target);
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  switch (schema.type) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'integer':
      return schema.format === 'int64' ? 'Long' : schema.format === 'int32' ? 'Integer' : 'integer (no int32/int64 format)';
    case 'object': {
      const values = schema.additionalProperties;
      if (values && values.type === 'string') return 'Map<String,String>';
      return 'Object';
    }
    case 'array': {
      const items = schema.items ?? {};
      if (items.$ref) return `Array of ${resolveRef(spec, items.$ref).title} objects`;
      if (items.type === 'string') return 'Array of strings';
      return `Array of ${describeSpecType(spec, items)}`;
    }
    default:
      return `unknown (${JSON.stringify(schema.type)})`;
  }
}

/** The refinements a property schema carries beyond the page's type column. */
function refinementsOf(schema, isRequired) {
  /** @type {{aspect: string, spec: string}[]} */
  const found = [];
  if (isRequired) found.push({ aspect: 'required', spec: 'required' });
  if (schema.readOnly) found.push({ aspect: 'readOnly', spec: 'readOnly: true' });
  if (schema.deprecated) found.push({ aspect: 'deprecated', spec: 'deprecated: true' });
  if (schema.enum) found.push({ aspect: 'enum', spec: `enum: ${schema.enum.join(', ')}` });
  const bounds = BOUND_KEYWORDS.filter((keyword) => schema[keyword] !== undefined).map((keyword) => `${keyword}: ${schema[keyword]}`);
  if (bounds.length > 0) found.push({ aspect: 'bounds', spec: bounds.join(', ') });
  return found;
}

/** Findings for one page row held against one spec property (or parameter) schema. */
function compareRow(spec, field, row, schema, isRequired, description) {
  /** @type {Finding[]} */
  const findings = [];
  const at = { table: row.table, row: row.name, line: row.line };
  const specType = describeSpecType(spec, schema);
  if (specType !== row.type) findings.push({ field, aspect: 'type', page: row.type, spec: specType, ...at });
  const target = deref(spec, schema);
  if (target.format && !['int32', 'int64', 'int-or-string'].includes(target.format)) {
    findings.push({ field, aspect: 'format', page: row.type, spec: target.format, ...at });
  }
  if (normalizeText(description) !== normalizeText(row.description)) {
    findings.push({ field, aspect: 'description', page: normalizeText(row.description), spec: normalizeText(description), ...at });
  }
  for (const refinement of refinementsOf(schema, isRequired)) findings.push({ field, page: '', ...refinement, ...at });
  return findings;
}

/**
 * @param {{ page: SourcePage, spec: any, deviations: Deviation[] }} input
 */
export function checkFidelity({ page, spec, deviations }) {
  const [path, pathItem] = Object.entries(spec.paths).find(([candidate]) => candidate === page.path) ?? [];
  /** @type {string[]} */
  const problems = [];
  if (!pathItem) return { problems: [`the page's path ${page.path} is not in the spec`], rows: { matched: 0, total: 0 }, statusCodes: { matched: 0, total: 0 }, findings: [] };
  const operation = pathItem[page.method.toLowerCase()];
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => deref(spec, parameter));
  const schemasByTitle = new Map(Object.entries(spec.components.schemas).map(([name, schema]) => [schema.title, { name, schema }]));
  const okSchemaRef = operation.responses['200']?.content?.['application/json']?.schema ?? deref(spec, operation.responses['200'])?.content?.['application/json']?.schema;
  const bodyName = okSchemaRef?.$ref ? shortName(okSchemaRef.$ref) : undefined;

  /** @type {Finding[]} */
  const findings = [];
  /** Per row: undefined = not found in the spec; otherwise its findings. */
  const rowResults = [];

  for (const table of page.tables) {
    for (const sourceRow of table.rows) {
      const row = { ...sourceRow, table: table.number };
      let result;
      if (table.number === 1 || table.number === 2) {
        const location = table.number === 1 ? 'path' : 'query';
        const parameter = parameters.find((candidate) => candidate.name === row.name && candidate.in === location);
        if (parameter) result = compareRow(spec, `parameters.${row.name}`, row, parameter.schema, false, parameter.description);
      } else if (table.number === 3) {
        const header = parameters.find((candidate) => candidate.name === row.name && candidate.in === 'header');
        const scheme = Object.entries(spec.components.securitySchemes ?? {}).find(
          ([, candidate]) => candidate.type === 'apiKey' && candidate.in === 'header' && candidate.name === row.name,
        );
        if (header) {
          result = compareRow(spec, `headers.${row.name}`, row, header.schema, false, header.description);
        } else if (scheme) {
          const field = `headers.${row.name}`;
          result = compareRow(spec, field, row, { type: 'string' }, false, scheme[1].description);
          result.push({ field, aspect: 'location', page: 'request header parameter', spec: `security scheme ${scheme[0]} (apiKey in header)`, table: 3, row: row.name, line: row.line });
        }
      } else {
        const owner = table.number === 4 ? (bodyName && { name: bodyName, schema: spec.components.schemas[bodyName] }) : schemasByTitle.get(table.title);
        const property = owner?.schema.properties?.[row.name];
        if (property) {
          const isRequired = (owner.schema.required ?? []).includes(row.name);
          result = compareRow(spec, `${owner.name}.${row.name}`, row, property, isRequired, property.description);
        }
      }
      if (!result) problems.push(`table ${table.number} (${table.title}), row "${row.name}" (page line ${row.line}): not found in the spec`);
      rowResults.push(result);
      if (result) findings.push(...result);
    }
  }

  // Additions: properties of page-mapped schemas that no row names, and schemas no table maps.
  const pageSchemaNames = new Set(page.tables.filter((table) => table.number >= 5).map((table) => schemasByTitle.get(table.title)?.name));
  if (bodyName) pageSchemaNames.add(bodyName);
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    if (!pageSchemaNames.has(name)) {
      findings.push({ field: name, aspect: 'added', page: '', spec: 'schema' });
      continue;
    }
    const table = name === bodyName ? page.tables.find((candidate) => candidate.number === 4) : page.tables.find((candidate) => candidate.title === schema.title);
    const rowNames = new Set(table.rows.map((row) => row.name));
    for (const property of Object.keys(schema.properties ?? {})) {
      if (!rowNames.has(property)) findings.push({ field: `${name}.${property}`, aspect: 'added', page: '', spec: 'property' });
    }
  }
  for (const [name, scheme] of Object.entries(spec.components.securitySchemes ?? {})) {
    const onPage = page.tables.find((table) => table.number === 3)?.rows.some((row) => scheme.in === 'header' && row.name === scheme.name);
    if (!onPage) findings.push({ field: `securitySchemes.${name}`, aspect: 'added', page: '', spec: `security scheme (${scheme.type})` });
  }

  // Declarations: each finding needs one; each declaration needs its finding.
  const key = (item) => `${item.field} ${item.aspect}`;
  const declared = new Map(deviations.map((deviation) => [key(deviation), deviation]));
  const undeclared = new Set();
  for (const finding of findings) {
    const declaration = declared.get(key(finding));
    const where = finding.table ? `table ${finding.table}, row "${finding.row}" (page line ${finding.line}): ` : '';
    if (!declaration) {
      undeclared.add(finding);
      problems.push(`${where}${finding.field}: undeclared ${finding.aspect} difference — page says "${finding.page}", spec says "${finding.spec}"`);
    } else if (finding.aspect !== 'description' && normalizeText(declaration.spec) !== normalizeText(finding.spec)) {
      undeclared.add(finding);
      problems.push(`${where}${finding.field}: ${finding.aspect} is declared as "${declaration.spec}" but the spec says "${finding.spec}"`);
    } else if (!normalizeText(declaration.why)) {
      problems.push(`${finding.field} ${finding.aspect}: the declaration gives no reason ("why")`);
    }
  }
  const found = new Set(findings.map(key));
  for (const deviation of deviations) {
    if (!found.has(key(deviation))) problems.push(`stale declaration in deviations.yaml: ${deviation.field} ${deviation.aspect} no longer differs from the page`);
  }

  // Status codes: every code of the page, with the page's description.
  const statusCodes = { matched: 0, total: page.statusCodes.length };
  for (const { code, description } of page.statusCodes) {
    const response = deref(spec, operation.responses[String(code)]);
    if (!response) problems.push(`status code ${code} (${description}) is not a response of the operation`);
    else if (normalizeText(response.description) !== normalizeText(description)) problems.push(`status code ${code}: description "${response.description}", page says "${description}"`);
    else statusCodes.matched++;
  }
  for (const code of Object.keys(operation.responses)) {
    if (!page.statusCodes.some((entry) => String(entry.code) === code)) problems.push(`status code ${code} is in the spec but not on the page`);
  }

  // The page's response example, as a named example of the 200 response.
  const okExamples = deref(spec, operation.responses['200'])?.content?.['application/json']?.examples ?? {};
  const exampleMatches = Object.values(okExamples).some((example) => JSON.stringify(deref(spec, example).value) === JSON.stringify(page.responseExample));
  if (!exampleMatches) problems.push("the page's response example is not a named example of the 200 response (or its data differs)");

  // The operation itself: the page's title and summary sentence.
  if (!String(operation.summary ?? '').includes(page.title)) problems.push(`operation summary does not carry the page title "${page.title}"`);
  if (!String(operation.description ?? '').includes(page.summary)) problems.push(`operation description does not carry the page text "${page.summary}"`);

  const matched = rowResults.filter((result) => result && result.every((finding) => !undeclared.has(finding))).length;
  return { path, problems, findings, rows: { matched, total: rowResults.length }, statusCodes, example: exampleMatches };
}
