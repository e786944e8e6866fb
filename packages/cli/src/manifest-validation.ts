// kubectl's client-side validation of a manifest (`--validate`, on by default): every field must be
// one the schema knows, and every scalar of the type it declares. kube-apiserver 1.20 drops unknown
// fields without a word (strict field validation came in Kubernetes 1.25), so a typo such as
// `spec.portz` would otherwise be lost silently. The schema is the spec's, from @cci-openapi/types.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = {
  $ref?: string;
  type?: string | string[];
  title?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  'x-kubernetes-int-or-string'?: boolean;
};

interface Document {
  components: { schemas: Record<string, Schema> };
}

/** No manifest field sits deeper than this; deeper parts are left unchecked rather than walked forever. */
const MAX_DEPTH = 64;
/** Enough to say what is wrong; a manifest full of mistakes does not need every one listed. */
const MAX_ERRORS = 20;

let loaded: Document | undefined;
function spec(): Document {
  loaded ??= JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('@cci-openapi/types/openapi.json'), 'utf8'),
  ) as Document;
  return loaded;
}

function resolve(document: Document, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 16; hops++)
    current = document.components.schemas[current.$ref.split('/').pop() ?? ''] ?? {};
  if (current.allOf?.length === 1 && !current.type && !current.properties)
    return resolve(document, current.allOf[0] as Schema);
  return current;
}

const typeOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;

/**
 * Where the walk is: the path kubectl prints ("Service.spec.ports[0]"), how deep, and how kubectl
 * names the field in a type error ("<its parent type's name>.<key>").
 */
interface Place {
  path: string;
  depth: number;
  field: string;
}

function matches(declared: string, actual: string): boolean {
  return declared === actual || (declared === 'number' && actual === 'integer');
}

/**
 * kubectl's ValidationError lines for `value` against the spec's schema `schemaName` (e.g.
 * "Service"): unknown fields and scalars of the wrong type. Empty when the manifest is valid.
 */
export function validateManifest(value: unknown, schemaName: string): string[] {
  const document = spec();
  const errors: string[] = [];
  const walk = (node: unknown, schema: Schema, at: Place): void => {
    if (errors.length >= MAX_ERRORS || at.depth > MAX_DEPTH || node === null || node === undefined) return;
    const resolved = resolve(document, schema);
    if (resolved['x-kubernetes-int-or-string']) return;
    const declared = Array.isArray(resolved.type)
      ? resolved.type.filter((t) => t !== 'null')
      : resolved.type
        ? [resolved.type]
        : [];
    const actual = typeOf(node);
    if (declared.length > 0 && !declared.some((type) => matches(type, actual))) {
      errors.push(
        `ValidationError(${at.path}): invalid type for ${resolved.title ?? at.field}: got "${actual}", expected "${declared.join('|')}"`,
      );
      return;
    }
    const depth = at.depth + 1;
    if (actual === 'array' && resolved.items) {
      const items = resolved.items;
      (node as unknown[]).forEach((item, index) => {
        const path = `${at.path}[${index}]`;
        walk(item, items, { path, depth, field: path });
      });
    } else if (actual === 'object' && (resolved.properties || typeof resolved.additionalProperties === 'object')) {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        const property = resolved.properties?.[key];
        const place = { path: `${at.path}.${key}`, depth, field: `${resolved.title ?? at.path}.${key}` };
        if (property) walk(child, property, place);
        else if (typeof resolved.additionalProperties === 'object') walk(child, resolved.additionalProperties, place);
        else if (resolved.properties && resolved.additionalProperties !== true)
          errors.push(
            `ValidationError(${at.path}): unknown field ${JSON.stringify(key)} in ${resolved.title ?? at.path}`,
          );
      }
    }
  };
  const root = document.components.schemas[schemaName];
  if (root) walk(value, root, { path: schemaName, depth: 0, field: schemaName });
  return errors;
}
