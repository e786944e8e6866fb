// What an operation touches: the component schemas reachable from it (its parameters, every
// response and media type, and on through properties, items and compositions).
import { deref, isReference, refName } from '../pointer.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Every operation of the spec with its path, method and the parameters that apply to it (path-item
 * and operation level, dereferenced).
 * @param {any} spec
 */
export function operationsOf(spec) {
  /** @type {{ path: string, method: string, operationId: string, operation: any, parameters: any[] }[]} */
  const operations = [];
  for (const [path, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const shared = (pathItem.parameters ?? []).map((/** @type {any} */ p) => deref(spec, p));
      const own = (operation.parameters ?? []).map((/** @type {any} */ p) => deref(spec, p));
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      operations.push({ path, method, operationId: operation.operationId, operation, parameters });
    }
  }
  return operations;
}

/** @param {any} spec @param {string} operationId */
export const findOperation = (spec, operationId) =>
  operationsOf(spec).find((candidate) => candidate.operationId === operationId);

/**
 * Names of the component schemas reachable from the given operations.
 * @param {any} spec @param {{ operation: any, parameters: any[] }[]} operations
 * @returns {Set<string>}
 */
export function reachableSchemas(spec, operations) {
  /** @type {Set<string>} */
  const names = new Set();
  /** @type {Set<unknown>} */
  const seen = new Set();
  /** @param {unknown} node */
  const walk = (node) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (isReference(node)) {
      if (node.$ref.startsWith('#/components/schemas/')) names.add(refName(node.$ref));
      walk(deref(spec, node));
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const { operation, parameters } of operations) {
    for (const parameter of parameters) walk(parameter.schema);
    for (const response of Object.values(operation.responses ?? {})) walk(deref(spec, response).content);
    if (operation.requestBody) walk(deref(spec, operation.requestBody).content);
  }
  return names;
}
