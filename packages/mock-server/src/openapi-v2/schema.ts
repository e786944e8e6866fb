// One OpenAPI 3.1 schema of the spec as a Swagger 2.0 schema, the form kube-apiserver's
// /openapi/v2 carries and kubectl (kube-openapi's proto models) reads:
// - `$ref`s to #/components/schemas/X point at #/definitions/<X's Kubernetes name>;
// - a list of types becomes one (Swagger 2.0 has no type lists): "null" is dropped, and a choice
//   between a string and something else is a string, as Kubernetes writes IntOrString
//   (type string, format int-or-string) — kubectl's validation accepts any scalar for a string;
// - 3.1's numeric exclusiveMinimum/Maximum become 2.0's minimum/maximum with a boolean flag;
//   3.1's `examples` list becomes `example`, `const` a one-value `enum`;
// - a required property that is readOnly is left out of `required`: OpenAPI says a readOnly
//   required property is required in responses only, and Swagger 2.0's `required` is what kubectl
//   enforces on the objects a user writes;
// - `title` is dropped (the name is the definition's key), and so is what 2.0 cannot say (oneOf,
//   anyOf, not, 3.1 keywords). Vendor extensions (x-kubernetes-patch-*, x-kubernetes-list-* …) are kept.

export type JsonObject = Record<string, unknown>;

/** Keywords a Swagger 2.0 schema object has that are copied as they are. */
const COPIED = new Set([
  'format',
  'description',
  'default',
  'multipleOf',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'enum',
  'readOnly',
  'example',
  'discriminator',
]);

/** Nesting deeper than this is cut off (the spec is ours, but a cycle-free walk should still be bounded). */
const MAX_DEPTH = 64;

export interface SchemaContext {
  /** The #/definitions/ name a #/components/schemas/ reference points at; undefined when unknown. */
  definitionOf(componentRef: string): string | undefined;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one Swagger 2.0 type for an OpenAPI 3.1 `type`, or undefined when there is none. */
export function singleType(type: unknown): string | undefined {
  if (typeof type === 'string') return type;
  if (!Array.isArray(type)) return undefined;
  const types = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (types.length <= 1) return types[0];
  return types.includes('string') ? 'string' : types[0];
}

export function convertSchema(node: unknown, context: SchemaContext, depth = 0): JsonObject {
  if (!isObject(node) || depth > MAX_DEPTH) return {};
  const out: JsonObject = {};
  if (typeof node.$ref === 'string') {
    const name = context.definitionOf(node.$ref);
    out.$ref = name === undefined ? node.$ref : `#/definitions/${name}`;
  }
  const type = singleType(node.type);
  if (type !== undefined) out.type = type;
  for (const [key, value] of Object.entries(node)) {
    if (COPIED.has(key) || key.startsWith('x-')) out[key] = value;
  }
  if (!('example' in out) && Array.isArray(node.examples) && node.examples.length > 0) out.example = node.examples[0];
  if ('const' in node && !('enum' in out)) out.enum = [node.const];
  bound(node, out, 'minimum', 'exclusiveMinimum');
  bound(node, out, 'maximum', 'exclusiveMaximum');
  if (isObject(node.properties)) {
    const properties: JsonObject = {};
    for (const [name, property] of Object.entries(node.properties))
      properties[name] = convertSchema(property, context, depth + 1);
    out.properties = properties;
  }
  if (Array.isArray(node.required)) {
    const required = node.required.filter(
      (name) => typeof name === 'string' && !readOnlyProperty(node.properties, name),
    );
    if (required.length > 0) out.required = required;
  }
  if (isObject(node.items)) out.items = convertSchema(node.items, context, depth + 1);
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isObject(node.additionalProperties))
    out.additionalProperties = convertSchema(node.additionalProperties, context, depth + 1);
  if (Array.isArray(node.allOf)) out.allOf = node.allOf.map((part) => convertSchema(part, context, depth + 1));
  return out;
}

/** 3.1's `exclusiveMinimum: 5` is 2.0's `minimum: 5, exclusiveMinimum: true` (likewise for the maximum). */
function bound(
  node: JsonObject,
  out: JsonObject,
  inclusive: 'minimum' | 'maximum',
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
): void {
  if (typeof node[inclusive] === 'number') out[inclusive] = node[inclusive];
  if (typeof node[exclusive] === 'number') {
    out[inclusive] = node[exclusive];
    out[exclusive] = true;
  } else if (node[exclusive] === true) out[exclusive] = true;
}

function readOnlyProperty(properties: unknown, name: string): boolean {
  return isObject(properties) && isObject(properties[name]) && properties[name].readOnly === true;
}
