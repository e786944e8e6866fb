// A Swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf, what kube-apiserver serves
// for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and what kubectl
// (client-go's discovery OpenAPISchema) parses. Field numbers are those of gnostic's
// openapiv2/OpenAPIv2.proto; only the messages this project's documents use are written:
// Document, Info, Paths/PathItem/Operation/Parameter*/Responses, Definitions/Schema, security.
// Values of `default`, `example`, `enum` and vendor extensions are gnostic `Any`s holding YAML:
// their JSON text, which is YAML too (kube-openapi reads them back with yaml.Unmarshal).
import type { SwaggerDocument } from './document.js';
import type { JsonObject } from './schema.js';
import { Message } from './wire.js';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const entries = (value: unknown): Array<[string, unknown]> => (isObject(value) ? Object.entries(value) : []);

/** Nesting deeper than this is not written (the document is derived from our spec; still bounded). */
const MAX_DEPTH = 64;

/** gnostic Any { string yaml = 2 }. */
function any(value: unknown): Message | undefined {
  return value === undefined ? undefined : new Message().string(2, JSON.stringify(value));
}

/** NamedAny { name = 1; Any value = 2 } for every x- key of an object. */
function vendorExtensions(node: JsonObject): Message[] {
  return entries(node)
    .filter(([key]) => key.startsWith('x-'))
    .map(([key, value]) => new Message().string(1, key).message(2, any(value)));
}

/** A named-map entry: { string name = 1; <message> value = 2 }. */
function named(name: string, value: Message): Message {
  return new Message().string(1, name).message(2, value);
}

function schemaMessage(node: JsonObject, depth = 0): Message {
  const m = new Message();
  if (depth > MAX_DEPTH) return m;
  m.string(1, node.$ref).string(2, node.format).string(3, node.title).string(4, node.description);
  m.message(5, any(node.default));
  m.double(6, node.multipleOf)
    .double(7, node.maximum)
    .bool(8, node.exclusiveMaximum)
    .double(9, node.minimum)
    .bool(10, node.exclusiveMinimum);
  m.int64(11, node.maxLength)
    .int64(12, node.minLength)
    .string(13, node.pattern)
    .int64(14, node.maxItems)
    .int64(15, node.minItems);
  m.bool(16, node.uniqueItems).int64(17, node.maxProperties).int64(18, node.minProperties).strings(19, node.required);
  if (Array.isArray(node.enum))
    m.messages(
      20,
      node.enum.map((value) => any(value)!),
    );
  if (typeof node.additionalProperties === 'boolean') m.message(21, new Message().bool(2, node.additionalProperties));
  else if (isObject(node.additionalProperties))
    m.message(21, new Message().message(1, schemaMessage(node.additionalProperties, depth + 1)));
  if (typeof node.type === 'string') m.message(22, new Message().strings(1, [node.type]));
  if (isObject(node.items)) m.message(23, new Message().message(1, schemaMessage(node.items, depth + 1)));
  if (Array.isArray(node.allOf))
    m.messages(
      24,
      node.allOf.filter(isObject).map((part) => schemaMessage(part, depth + 1)),
    );
  if (isObject(node.properties)) {
    m.message(
      25,
      new Message().messages(
        1,
        entries(node.properties).map(([name, value]) =>
          named(name, schemaMessage(isObject(value) ? value : {}, depth + 1)),
        ),
      ),
    );
  }
  m.string(26, node.discriminator).bool(27, node.readOnly).message(30, any(node.example));
  return m.messages(31, vendorExtensions(node));
}

/** Path, query and header parameters: the sub-schema messages share their first fields, then diverge by one. */
function nonBodyParameter(node: JsonObject): Message | undefined {
  // QueryParameterSubSchema has allow_empty_value = 5, which shifts the rest by one.
  const choice = { header: { field: 1, shift: 0 }, query: { field: 3, shift: 1 }, path: { field: 4, shift: 0 } }[
    String(node.in)
  ];
  if (!choice) return undefined;
  const s = choice.shift;
  const sub = new Message().bool(1, node.required).string(2, node.in).string(3, node.description).string(4, node.name);
  sub
    .string(5 + s, node.type)
    .string(6 + s, node.format)
    .message(9 + s, any(node.default))
    .bool(19 + s, node.uniqueItems);
  if (Array.isArray(node.enum))
    sub.messages(
      20 + s,
      node.enum.map((value) => any(value)!),
    );
  sub.messages(22 + s, vendorExtensions(node));
  return new Message().message(choice.field, sub);
}

/** ParametersItem { Parameter parameter = 1 } with Parameter { body_parameter = 1 | non_body_parameter = 2 }. */
function parameterItem(node: JsonObject): Message | undefined {
  let parameter: Message | undefined;
  if (node.in === 'body') {
    const body = new Message()
      .string(1, node.description)
      .string(2, node.name)
      .string(3, node.in)
      .bool(4, node.required);
    body.message(5, isObject(node.schema) ? schemaMessage(node.schema) : undefined).messages(6, vendorExtensions(node));
    parameter = new Message().message(1, body);
  } else {
    const nonBody = nonBodyParameter(node);
    parameter = nonBody && new Message().message(2, nonBody);
  }
  return parameter && new Message().message(1, parameter);
}

function parameterItems(list: unknown): Message[] {
  return (Array.isArray(list) ? list : []).filter(isObject).flatMap((node) => parameterItem(node) ?? []);
}

/** Responses { repeated NamedResponseValue response_code = 1 }; ResponseValue { Response response = 1 }. */
function responsesMessage(node: unknown): Message {
  const codes = entries(node).map(([code, value]) => {
    const response = isObject(value) ? value : {};
    const r = new Message().string(1, response.description);
    if (isObject(response.schema)) r.message(2, new Message().message(1, schemaMessage(response.schema)));
    return named(code, new Message().message(1, r.messages(5, vendorExtensions(response))));
  });
  return new Message().messages(1, codes);
}

function operationMessage(node: JsonObject): Message {
  const m = new Message()
    .strings(1, node.tags)
    .string(2, node.summary)
    .string(3, node.description)
    .string(5, node.operationId);
  m.strings(6, node.produces).strings(7, node.consumes).messages(8, parameterItems(node.parameters));
  m.message(9, responsesMessage(node.responses)).strings(10, node.schemes).bool(11, node.deprecated);
  return m.messages(13, vendorExtensions(node));
}

const PATH_ITEM_FIELDS = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 } as const;

function pathItemMessage(node: JsonObject): Message {
  const m = new Message();
  for (const [method, field] of Object.entries(PATH_ITEM_FIELDS))
    if (isObject(node[method])) m.message(field, operationMessage(node[method]));
  return m.messages(9, parameterItems(node.parameters)).messages(10, vendorExtensions(node));
}

/** SecurityDefinitions: only API keys (ApiKeySecurity, the choice 2 of SecurityDefinitionsItem), the one kind toSwagger writes. */
function securityDefinitionsMessage(definitions: Record<string, JsonObject>): Message {
  const items = Object.entries(definitions)
    .filter(([, d]) => d.type === 'apiKey')
    .map(([name, d]) =>
      named(
        name,
        new Message().message(
          2,
          new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description),
        ),
      ),
    );
  return new Message().messages(1, items);
}

export function encodeDocument(document: SwaggerDocument): Buffer {
  const doc = new Message().string(1, document.swagger);
  doc.message(2, new Message().string(1, document.info.title).string(2, document.info.version));
  doc.message(
    8,
    new Message().messages(
      2,
      Object.entries(document.paths).map(([path, item]) => named(path, pathItemMessage(item))),
    ),
  );
  doc.message(
    9,
    new Message().messages(
      1,
      Object.entries(document.definitions).map(([name, schema]) => named(name, schemaMessage(schema))),
    ),
  );
  const requirements = (document.security ?? []).map((requirement) =>
    new Message().messages(
      1,
      Object.entries(requirement).map(([name, scopes]) => named(name, new Message().strings(1, scopes))),
    ),
  );
  doc.messages(12, requirements);
  if (document.securityDefinitions) doc.message(13, securityDefinitionsMessage(document.securityDefinitions));
  return doc.encode();
}
