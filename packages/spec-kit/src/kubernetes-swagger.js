// Reads an extract of Kubernetes' own OpenAPI (swagger 2.0) document — the upstream API reference
// the CCI page copies — into what the structural fidelity check needs: operations by operationId
// and the definitions they reach.
import { readFileSync } from 'node:fs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const DEFINITION_REF = '#/definitions/';

/**
 * @typedef {{ name: string, in: string, type?: string, format?: string, required?: boolean, enum?: unknown[], items?: any }} SwaggerParameter
 * @typedef {{ name: string, in: string, type?: string, format?: string, required?: boolean, enum?: unknown[], items?: any, schema?: any }} SwaggerParameterWithSchema
 * @typedef {{ path: string, method: string, operationId: string, parameters: SwaggerParameterWithSchema[], consumes: string[], produces: string[],
 *   responses: Record<string, { description?: string, schema?: any }> }} SwaggerOperation
 * @typedef {{ source: string, operations: SwaggerOperation[], definitions: Record<string, any> }} SwaggerExtract
 */

/** @param {string} text @returns {SwaggerExtract} */
export function parseSwaggerExtract(text) {
  const document = JSON.parse(text);
  if (
    typeof document !== 'object' ||
    document === null ||
    typeof document.paths !== 'object' ||
    typeof document.definitions !== 'object'
  ) {
    throw new Error('swagger extract: expected an object with "paths" and "definitions"');
  }
  /** @type {SwaggerOperation[]} */
  const operations = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const own = operation.parameters ?? [];
      const shared = (pathItem.parameters ?? []).filter(
        (/** @type {any} */ p) => !own.some((/** @type {any} */ o) => o.name === p.name && o.in === p.in),
      );
      operations.push({
        path,
        method,
        operationId: operation.operationId,
        parameters: [...shared, ...own],
        consumes: operation.consumes ?? document.consumes ?? [],
        produces: operation.produces ?? document.produces ?? [],
        responses: operation.responses ?? {},
      });
    }
  }
  return { source: String(document._source ?? ''), operations, definitions: document.definitions };
}

/** @param {string} path */
export const readSwaggerExtract = (path) => parseSwaggerExtract(readFileSync(path, 'utf8'));

/**
 * Several extracts of the same upstream document read as one: their operations together, their
 * definitions merged. A definition two extracts both carry must be the same in each (they are
 * verbatim copies of one file); anything else means they are not extracts of one document.
 * @param {string[]} paths @returns {SwaggerExtract}
 */
export function readSwaggerExtracts(paths) {
  const extracts = paths.map((path) => ({ path, extract: readSwaggerExtract(path) }));
  /** @type {Record<string, any>} */
  const definitions = {};
  for (const { path, extract } of extracts) {
    for (const [name, definition] of Object.entries(extract.definitions)) {
      if (name in definitions && JSON.stringify(definitions[name]) !== JSON.stringify(definition)) {
        throw new Error(
          `swagger extract ${path}: definition ${name} differs from the one in another extract of the same source`,
        );
      }
      definitions[name] = definition;
    }
  }
  return {
    source: extracts.map(({ extract }) => extract.source).join('\n'),
    operations: extracts.flatMap(({ extract }) => extract.operations),
    definitions,
  };
}

/** "#/definitions/io.k8s.api.core.v1.Service" → "io.k8s.api.core.v1.Service". @param {string} ref */
export function definitionName(ref) {
  if (!ref.startsWith(DEFINITION_REF)) throw new Error(`swagger extract: unsupported $ref ${ref}`);
  return ref.slice(DEFINITION_REF.length);
}

/** A definition with properties is compared property by property; one without is a value type (Time, IntOrString, FieldsV1). @param {any} definition */
export const isStructural = (definition) => Boolean(definition?.properties);

/**
 * Names of the definitions reachable from `roots` (definition names), roots included.
 * @param {SwaggerExtract} extract @param {string[]} roots
 */
export function reachableDefinitions(extract, roots) {
  /** @type {Set<string>} */
  const names = new Set();
  /** @param {string} name */
  const visit = (name) => {
    if (names.has(name)) return;
    const definition = extract.definitions[name];
    if (!definition) throw new Error(`swagger extract: definition ${name} is referenced but not in the extract`);
    names.add(name);
    /** @param {any} node */
    const walk = (node) => {
      if (typeof node !== 'object' || node === null) return;
      if (typeof node.$ref === 'string') visit(definitionName(node.$ref));
      for (const value of Object.values(node)) walk(value);
    };
    walk(definition.properties ?? {});
    walk(definition.items ?? {});
    walk(definition.additionalProperties ?? {});
  };
  for (const root of roots) visit(root);
  return names;
}
