// Holds the bundled spec against a CCI API reference page, row by row, and against the declared
// deviations.
//
// The page's tables are recognised by their titles, not their numbers: "路径参数" (path
// parameters), "Query参数", "请求Header参数", "响应Body参数" (the 200 body), and otherwise the
// fully qualified name of a schema ("io.k8s.api.core.v1.ServicePort"), matched to the spec schema
// with that `title`.
//
// A *finding* is one place where the spec says something the page does not:
//   deviation  — type | format | description | location: the spec contradicts the table;
//   refinement — readOnly | deprecated | required | enum | bounds: the spec says more than the table;
//   addition   — added: a property, schema or security scheme the page does not have (only schemas
//                reachable from the page's operation count).
import { deref, refName, resolvePointer } from '../pointer.js';
import { matchDeclarations, normalizeText } from './declarations.js';
import { reachableSchemas } from './reachable.js';

/** @typedef {import('../cci-page.js').SourcePage} SourcePage */
/** @typedef {import('./declarations.js').Finding} Finding */
/** @typedef {import('./declarations.js').Deviation} Deviation */

const BOUND_KEYWORDS = [
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
];

/** What a table of the page is about, from its title. @param {string} title */
function tableRole(title) {
  if (/路径参数/.test(title)) return { kind: 'parameters', location: 'path' };
  if (/Query参数/i.test(title)) return { kind: 'parameters', location: 'query' };
  if (/Header参数/i.test(title)) return { kind: 'headers' };
  if (/响应Body参数/.test(title)) return { kind: 'body' };
  return { kind: 'schema' };
}

/** Renders a spec schema in the page's type vocabulary ("String", "Array of X objects", …). @param {any} spec @param {any} schema @returns {string} */
function describeSpecType(spec, schema) {
  if (schema.$ref) {
    const target = resolvePointer(spec, schema.$ref);
    return target.type === 'object' ? `${target.title} object` : describeSpecType(spec, target);
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  switch (schema.type) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'integer':
      return schema.format === 'int64'
        ? 'Long'
        : schema.format === 'int32'
          ? 'Integer'
          : 'integer (no int32/int64 format)';
    case 'object': {
      const values = schema.additionalProperties;
      if (values && values.type === 'string') return 'Map<String,String>';
      return 'Object';
    }
    case 'array': {
      const items = schema.items ?? {};
      if (items.$ref) return `Array of ${resolvePointer(spec, items.$ref).title} objects`;
      if (items.type === 'string') return 'Array of strings';
      return `Array of ${describeSpecType(spec, items)}`;
    }
    default:
      return `unknown (${JSON.stringify(schema.type)})`;
  }
}

/** The refinements a property schema carries beyond the page's type column. @param {any} schema @param {boolean} isRequired */
function refinementsOf(schema, isRequired) {
  /** @type {{aspect: string, spec: string}[]} */
  const found = [];
  if (isRequired) found.push({ aspect: 'required', spec: 'required' });
  if (schema.readOnly) found.push({ aspect: 'readOnly', spec: 'readOnly: true' });
  if (schema.deprecated) found.push({ aspect: 'deprecated', spec: 'deprecated: true' });
  if (schema.enum) found.push({ aspect: 'enum', spec: `enum: ${schema.enum.join(', ')}` });
  const bounds = BOUND_KEYWORDS.filter((keyword) => schema[keyword] !== undefined).map(
    (keyword) => `${keyword}: ${schema[keyword]}`,
  );
  if (bounds.length > 0) found.push({ aspect: 'bounds', spec: bounds.join(', ') });
  return found;
}

/** @param {{ table: number, title: string }} table @param {{ name: string, line: number }} row */
const whereOf = (table, row) => `table ${table.number} (${table.title}), row "${row.name}" (page line ${row.line})`;

/** Findings for one page row held against one spec property (or parameter) schema. */
function compareRow(
  /** @type {any} */ spec,
  /** @type {string} */ field,
  /** @type {any} */ row,
  /** @type {any} */ schema,
  /** @type {boolean} */ isRequired,
  /** @type {unknown} */ description,
  /** @type {string} */ where,
) {
  /** @type {Finding[]} */
  const findings = [];
  const specType = describeSpecType(spec, schema);
  if (specType !== row.type) findings.push({ field, aspect: 'type', source: row.type, spec: specType, where });
  const target = deref(spec, schema);
  if (target.format && !['int32', 'int64', 'int-or-string'].includes(target.format)) {
    findings.push({ field, aspect: 'format', source: row.type, spec: target.format, where });
  }
  if (normalizeText(description) !== normalizeText(row.description)) {
    findings.push({
      field,
      aspect: 'description',
      source: normalizeText(row.description),
      spec: normalizeText(description),
      where,
    });
  }
  for (const refinement of refinementsOf(schema, isRequired))
    findings.push({ field, source: '', ...refinement, where });
  return findings;
}

/**
 * @param {{ page: SourcePage, spec: any, deviations: Deviation[], shared?: Deviation[] }} input
 *   `shared`: the shared declarations (spec/source/shared-deviations.yaml), see declarations.js.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one pass over the page's tables in the page's order, each table a few lines, so a finding reads as the page does
export function checkCciPage({ page, spec, deviations, shared = [] }) {
  /** @type {string[]} */
  const problems = [];
  const pathItem = spec.paths?.[page.path];
  const operation = pathItem?.[page.method.toLowerCase()];
  const empty = { matched: 0, total: 0 };
  if (!operation) {
    return {
      path: page.path,
      operationId: undefined,
      problems: [`the page's operation ${page.method} ${page.path} is not in the spec`],
      findings: [],
      operations: { matched: 0, total: 1 },
      rows: empty,
      statusCodes: empty,
      declared: empty,
      sharedUsed: new Set(),
      example: false,
    };
  }
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) =>
    deref(spec, parameter),
  );
  /** @type {Map<string, { name: string, schema: any }>} */
  const schemasByTitle = new Map(
    Object.entries(spec.components?.schemas ?? {}).map(([name, schema]) => [
      /** @type {any} */ (schema).title,
      { name, schema },
    ]),
  );
  const okSchema = deref(spec, operation.responses?.['200'])?.content?.['application/json']?.schema;
  const bodyName = okSchema?.$ref ? refName(okSchema.$ref) : undefined;
  const securitySchemes = spec.components?.securitySchemes ?? {};

  /** The spec schema a table describes, if any. @param {{ title: string }} table */
  const schemaOfTable = (table) => {
    const role = tableRole(table.title);
    if (role.kind === 'body')
      return bodyName ? { name: bodyName, schema: spec.components.schemas[bodyName] } : undefined;
    if (role.kind === 'schema') return schemasByTitle.get(table.title);
    return undefined;
  };

  /** @type {Finding[]} */
  const findings = [];
  /** Per row: undefined = not found in the spec; otherwise its findings. @type {(Finding[] | undefined)[]} */
  const rowResults = [];

  for (const table of page.tables) {
    const role = tableRole(table.title);
    for (const row of table.rows) {
      const where = whereOf(table, row);
      /** @type {Finding[] | undefined} */
      let result;
      if (role.kind === 'parameters') {
        const parameter = parameters.find((candidate) => candidate.name === row.name && candidate.in === role.location);
        if (parameter)
          result = compareRow(
            spec,
            `parameters.${row.name}`,
            row,
            parameter.schema,
            false,
            parameter.description,
            where,
          );
      } else if (role.kind === 'headers') {
        const header = parameters.find((candidate) => candidate.name === row.name && candidate.in === 'header');
        const scheme = Object.entries(securitySchemes).find(
          ([, candidate]) => candidate.type === 'apiKey' && candidate.in === 'header' && candidate.name === row.name,
        );
        const field = `headers.${row.name}`;
        if (header) {
          result = compareRow(spec, field, row, header.schema, false, header.description, where);
        } else if (scheme) {
          result = compareRow(spec, field, row, { type: 'string' }, false, scheme[1].description, where);
          result.push({
            field,
            aspect: 'location',
            source: 'request header parameter',
            spec: `security scheme ${scheme[0]} (apiKey in header)`,
            where,
          });
        }
      } else {
        const owner = schemaOfTable(table);
        const property = owner?.schema.properties?.[row.name];
        if (owner && property) {
          const isRequired = (owner.schema.required ?? []).includes(row.name);
          result = compareRow(
            spec,
            `${owner.name}.${row.name}`,
            row,
            property,
            isRequired,
            property.description,
            where,
          );
        }
      }
      if (!result) problems.push(`${where}: not found in the spec`);
      rowResults.push(result);
      if (result) findings.push(...result);
    }
  }

  // Additions: among the schemas this operation reaches, properties no row names and schemas no table describes.
  /** @type {Map<string, Set<string>>} schema name → the row names of its table */
  const described = new Map();
  for (const table of page.tables) {
    const owner = schemaOfTable(table);
    if (owner) described.set(owner.name, new Set(table.rows.map((row) => row.name)));
  }
  const reachable = reachableSchemas(spec, [{ operation, parameters }]);
  for (const name of [...reachable].sort()) {
    const rowNames = described.get(name);
    if (!rowNames) {
      findings.push({ field: name, aspect: 'added', source: '', spec: 'schema' });
      continue;
    }
    for (const property of Object.keys(spec.components.schemas[name].properties ?? {})) {
      if (!rowNames.has(property))
        findings.push({ field: `${name}.${property}`, aspect: 'added', source: '', spec: 'property' });
    }
  }
  const headerTable = page.tables.find((table) => tableRole(table.title).kind === 'headers');
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    const onPage = headerTable?.rows.some((row) => scheme.in === 'header' && row.name === scheme.name);
    if (!onPage)
      findings.push({
        field: `securitySchemes.${name}`,
        aspect: 'added',
        source: '',
        spec: `security scheme (${scheme.type})`,
      });
  }

  const { problems: declarationProblems, undeclared, sharedUsed } = matchDeclarations(findings, deviations, shared);
  problems.push(...declarationProblems);

  // Status codes: every code of the page, with the page's description, and no other.
  const statusCodes = { matched: 0, total: page.statusCodes.length };
  for (const { code, description } of page.statusCodes) {
    const response = deref(spec, operation.responses[String(code)]);
    if (!response) problems.push(`status code ${code} (${description}) is not a response of the operation`);
    else if (normalizeText(response.description) !== normalizeText(description))
      problems.push(`status code ${code}: description "${response.description}", page says "${description}"`);
    else statusCodes.matched++;
  }
  for (const code of Object.keys(operation.responses)) {
    if (!page.statusCodes.some((entry) => String(entry.code) === code))
      problems.push(`status code ${code} is in the spec but not on the page`);
  }

  // The page's response example, as a named example of the 200 response.
  const okExamples = deref(spec, operation.responses['200'])?.content?.['application/json']?.examples ?? {};
  const example = Object.values(okExamples).some(
    (candidate) => JSON.stringify(deref(spec, candidate).value) === JSON.stringify(page.responseExample),
  );
  if (!example)
    problems.push("the page's response example is not a named example of the 200 response (or its data differs)");

  // The operation itself: the page's title and summary sentence.
  if (!String(operation.summary ?? '').includes(page.title))
    problems.push(`operation summary does not carry the page title "${page.title}"`);
  if (!String(operation.description ?? '').includes(page.summary))
    problems.push(`operation description does not carry the page text "${page.summary}"`);

  const matched = rowResults.filter((result) => result?.every((finding) => !undeclared.has(finding))).length;
  return {
    path: page.path,
    operationId: operation.operationId,
    problems,
    findings,
    operations: { matched: problems.length === 0 ? 1 : 0, total: 1 },
    rows: { matched, total: rowResults.length },
    statusCodes,
    declared: { matched: findings.filter((finding) => !undeclared.has(finding)).length, total: findings.length },
    sharedUsed,
    example,
  };
}
