// Upstream swagger 2.0 → this repository's OpenAPI 3.1 layout, one piece at a time, the way the
// hand-written Service operations were converted: definitions become components/schemas/<Kind>.yaml
// (an existing file whose `title` is the definition's name is reused, never rewritten), parameters
// become components/parameters/<name>.yaml (reused when the spec has one), a body parameter becomes a
// requestBody with one entry per media type, the success responses keep upstream's schema and every
// operation gets the spec's shared error responses (401, 403 … with a Status body).
const SCHEMAS_FROM_PATHS = '../components/schemas/';
const SCHEMAS_FROM_SCHEMAS = './';
const PARAMETERS_FROM_PATHS = '../components/parameters/';
const RESPONSES_FROM_PATHS = '../components/responses/';
const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';

/**
 * One converter per import: a closure because its pieces share what the import has written so far
 * (the schema file names taken, the new files); each inner function is short and does one thing.
 * @param {{ swagger: any, schemaFiles: Map<string, string>, parameterFiles: Map<string, string>,
 *   errorResponses: Map<string, string>, bodyOnlyCodes: Set<string>, nameSchema: any, operations: Array<{ pathItem: any, operation: any }> }} target
 *   schemaFiles: definition name (an existing schema's title) → file base name; parameterFiles:
 *   `in:name` → file base name; nameSchema: the schema of the spec's `name` path parameter.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one closure over the maps every conversion shares; each inner function is short
export function createConverter({
  swagger,
  schemaFiles,
  parameterFiles,
  errorResponses,
  bodyOnlyCodes,
  nameSchema,
  operations,
}) {
  const definitions = swagger.definitions ?? {};
  const schemaNames = new Map(schemaFiles);
  const takenSchemaNames = new Set(schemaFiles.values());
  /** New files, relative to the spec folder → content. */
  const files = new Map();

  function schemaName(definition) {
    if (schemaNames.has(definition)) return schemaNames.get(definition);
    if (!definitions[definition]) throw new Error(`#/definitions/${definition} is not in the source document`);
    const parts = definition.split('.');
    // Kubernetes names definitions by package: a short name taken twice gets its package in front.
    let name = parts.at(-1);
    if (takenSchemaNames.has(name)) name = parts.at(-3) + parts.at(-2) + name;
    if (takenSchemaNames.has(name)) throw new Error(`two definitions would be written to schemas/${name}.yaml`);
    schemaNames.set(definition, name);
    takenSchemaNames.add(name);
    files.set(`components/schemas/${name}.yaml`, {
      title: definition,
      ...schema(definitions[definition], SCHEMAS_FROM_SCHEMAS),
    });
    return name;
  }

  /** A swagger schema in OpenAPI 3.1: local definition references become files relative to `from`. */
  function schema(node, from) {
    if (Array.isArray(node)) return node.map((item) => schema(item, from));
    if (node === null || typeof node !== 'object') return node;
    const converted = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/'))
        converted.$ref = `${from}${schemaName(value.slice('#/definitions/'.length))}.yaml`;
      else converted[key] = schema(value, from);
    }
    return converted;
  }

  const parameterRefs = planParameters(operations, parameterFiles, nameSchema, files);

  function parameter(upstream) {
    const key = `${upstream.in}:${upstream.name}`;
    const file = parameterRefs.get(key);
    if (file) return { $ref: `${PARAMETERS_FROM_PATHS}${file}.yaml` };
    return parameterObject(upstream, key === 'path:name' ? nameSchema : undefined);
  }

  function requestBody(body, consumes) {
    const bodySchema = schema(body.schema, SCHEMAS_FROM_PATHS);
    const jsonPatch = schemaFiles.has('JsonPatch')
      ? { $ref: `${SCHEMAS_FROM_PATHS}${schemaFiles.get('JsonPatch')}.yaml` }
      : bodySchema;
    const content = {};
    for (const mediaType of bodyMediaTypes(consumes))
      content[mediaType] = { schema: mediaType === 'application/json-patch+json' ? jsonPatch : bodySchema };
    return {
      ...(body.description ? { description: body.description } : {}),
      required: body.required === true,
      content,
    };
  }

  function responses(operation, hasBody) {
    const converted = {};
    for (const [code, response] of Object.entries(operation.responses ?? {})) {
      if (!code.startsWith('2')) continue;
      converted[code] = {
        description: response.description ?? 'OK',
        ...(response.schema ? { content: responseContent(response.schema, operation.produces ?? []) } : {}),
      };
    }
    for (const [code, name] of errorResponses)
      if (!bodyOnlyCodes.has(code) || hasBody) converted[code] = { $ref: `${RESPONSES_FROM_PATHS}${name}.yaml` };
    return converted;
  }

  function responseContent(upstreamSchema, produces) {
    const converted = schema(upstreamSchema, SCHEMAS_FROM_PATHS);
    // A plain string (a pod's log, an exec/attach/port-forward connection) in its own media type.
    if (upstreamSchema.type === 'string') {
      const mediaType = ['text/plain', '*/*'].find((type) => produces.includes(type)) ?? 'application/json';
      return { [mediaType]: { schema: converted } };
    }
    // JSON only, as the hand-written operations declare (YAML and protobuf are not described here);
    // a list's watch stream is a WatchEvent per line, as spec/source/upstream/source.yaml maps it.
    const content = { 'application/json': { schema: converted } };
    if (produces.includes('application/json;stream=watch'))
      content['application/json;stream=watch'] = {
        schema: { $ref: `${SCHEMAS_FROM_PATHS}${schemaName(WATCH_EVENT)}.yaml` },
      };
    return content;
  }

  return { files, parameter, requestBody, responses };
}

/** A body's media types: a patch's own, and JSON and YAML for upstream's `*∕*`. */
function bodyMediaTypes(consumes = []) {
  const types = consumes.flatMap((type) => (type === '*/*' ? ['application/json', 'application/yaml'] : [type]));
  return [...new Set(types.filter((type) => type !== 'application/vnd.kubernetes.protobuf'))];
}

function parameterObject(upstream, schemaOverride) {
  const { name, in: where, description, required, type, format, items } = upstream;
  return {
    name,
    in: where,
    ...(required || where === 'path' ? { required: true } : {}),
    ...(description ? { description } : {}),
    schema: schemaOverride ?? { type, ...(format ? { format } : {}), ...(items ? { items } : {}) },
  };
}

/**
 * Which parameters become a reference: the spec's own component for the same `in` and name (but
 * not `name`, whose description names the kind: "name of the Service"), or a new component for a
 * parameter upstream describes the same way everywhere. Returns `in:name` → file base name.
 */
function planParameters(operations, parameterFiles, nameSchema, files) {
  const variants = new Map();
  for (const { pathItem, operation } of operations) {
    for (const upstream of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
      if (upstream.in === 'body') continue;
      const key = `${upstream.in}:${upstream.name}`;
      if (!variants.has(key)) variants.set(key, new Map());
      variants.get(key).set(JSON.stringify(parameterObject(upstream)), upstream);
    }
  }
  const refs = new Map();
  const takenFiles = new Set(parameterFiles.values());
  for (const [key, seen] of variants) {
    if (key === 'path:name') continue;
    if (parameterFiles.has(key)) {
      refs.set(key, parameterFiles.get(key));
      continue;
    }
    if (seen.size !== 1) continue;
    const upstream = [...seen.values()][0];
    const file = takenFiles.has(upstream.name) ? `${upstream.name}-${upstream.in}` : upstream.name;
    takenFiles.add(file);
    refs.set(key, file);
    files.set(
      `components/parameters/${file}.yaml`,
      parameterObject(upstream, key === 'path:name' ? nameSchema : undefined),
    );
  }
  return refs;
}
