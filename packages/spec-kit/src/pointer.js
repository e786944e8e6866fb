// JSON pointers (RFC 6901) inside one OpenAPI document, and `$ref` following. The bundle has only
// local references ("#/components/…"), so nothing here fetches or reads files.

/** A reference object: `{ $ref: "#/…" }`. @param {unknown} node @returns {node is { $ref: string }} */
export function isReference(node) {
  return typeof node === 'object' && node !== null && typeof (/** @type {any} */ (node).$ref) === 'string';
}

/** One pointer segment, decoded: "~1" → "/", then "~0" → "~" (in that order, as RFC 6901 says). @param {string} segment */
export const decodePointerSegment = (segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** One key, encoded for use as a pointer segment. @param {string} key */
export const encodePointerSegment = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** "#/components/schemas/Service" from ["components", "schemas", "Service"]. @param {string[]} keys */
export const pointerOf = (keys) => `#/${keys.map(encodePointerSegment).join('/')}`;

/** The decoded keys of a local pointer ("#/a/b~1c" → ["a", "b/c"]). @param {string} pointer */
export function pointerKeys(pointer) {
  if (typeof pointer !== 'string' || !pointer.startsWith('#'))
    throw new Error(`only local references are supported, got ${JSON.stringify(pointer)}`);
  if (pointer === '#' || pointer === '#/') return [];
  if (!pointer.startsWith('#/')) throw new Error(`not a JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer.slice(2).split('/').map(decodePointerSegment);
}

/**
 * The node a local pointer names. Throws on a pointer that leads nowhere: a wrong reference is a
 * broken spec, and an `undefined` passed on silently would surface far from its cause.
 * @param {unknown} document @param {string} pointer @returns {any}
 */
export function resolvePointer(document, pointer) {
  /** @type {any} */
  let node = document;
  for (const key of pointerKeys(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key))
      throw new Error(`unresolvable reference ${pointer}`);
    node = node[key];
  }
  return node;
}

/**
 * Follows `$ref` (and chains of them) until a node that is not a reference. Anything else is
 * returned as it is, `undefined` included.
 * @template T @param {unknown} document @param {T | { $ref: string }} node @returns {T}
 */
export function deref(document, node) {
  /** @type {any} */
  let current = node;
  for (let hops = 0; isReference(current); hops += 1) {
    if (hops > 32) throw new Error(`reference cycle in the spec at ${current.$ref}`);
    current = resolvePointer(document, current.$ref);
  }
  return current;
}

/** The last segment of a reference: "#/components/schemas/Service" → "Service". @param {string} ref */
export const refName = (ref) => decodePointerSegment(ref.split('/').pop() ?? '');
