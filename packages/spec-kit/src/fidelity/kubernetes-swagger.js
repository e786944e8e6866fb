// Holds the bundled spec against an extract of Kubernetes' swagger 2.0 document, structurally: for
// each operation the source declares — its path and method, every parameter's name, location, type,
// format, required flag and enum, its response codes and 200 body; for every definition the
// operations reach — every property's type, format and $ref, the required list and the enums.
// Descriptions are not compared (the spec words them itself).
//
// Findings (each must be declared in the source's deviations.yaml):
//   type | format | ref | required | enum   the spec differs from the source
//   omitted                                 the source has it, the spec leaves it out
//   added                                   the spec has it, the source does not
import { deref, resolvePointer } from '../pointer.js';
import { definitionName, isStructural, reachableDefinitions } from '../kubernetes-swagger.js';
import { matchDeclarations } from './declarations.js';
import { findOperation, reachableSchemas } from './reachable.js';

/** @typedef {import('../kubernetes-swagger.js').SwaggerExtract} SwaggerExtract */
/** @typedef {import('./declarations.js').Finding} Finding */
/** @typedef {import('./declarations.js').Deviation} Deviation */
/** @typedef {{ type: string, format: string, ref: string }} Shape */

/** @param {Shape} shape */
const shapeText = (shape) =>
  shape.ref ? `ref ${shape.ref}` : shape.format ? `${shape.type} (${shape.format})` : shape.type;

/** The shape of a swagger schema or non-body parameter. @param {SwaggerExtract} extract @param {any} node @returns {Shape} */
function upstreamShape(extract, node) {
  if (node.$ref) {
    const name = definitionName(node.$ref);
    const definition = extract.definitions[name];
    return isStructural(definition) ? { type: 'object', format: '', ref: name } : upstreamShape(extract, definition);
  }
  if (node.type === 'array')
    return { type: `array of ${shapeText(upstreamShape(extract, node.items ?? {}))}`, format: '', ref: '' };
  if (node.type === 'object' && node.additionalProperties)
    return { type: `map of ${shapeText(upstreamShape(extract, node.additionalProperties))}`, format: '', ref: '' };
  return { type: String(node.type ?? 'any'), format: node.format ?? '', ref: '' };
}

/** The shape of a spec schema, in the same vocabulary (a $ref names the target's title). @param {any} spec @param {any} node @returns {Shape} */
function specShape(spec, node) {
  if (node.$ref) {
    const target = resolvePointer(spec, node.$ref);
    return target.properties
      ? { type: 'object', format: '', ref: String(target.title ?? node.$ref) }
      : specShape(spec, target);
  }
  const type = Array.isArray(node.type) ? node.type.join(' | ') : String(node.type ?? 'any');
  if (type === 'array')
    return { type: `array of ${shapeText(specShape(spec, node.items ?? {}))}`, format: '', ref: '' };
  if (type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return { type: `map of ${shapeText(specShape(spec, node.additionalProperties))}`, format: '', ref: '' };
  }
  return { type, format: node.format ?? '', ref: '' };
}

const enumText = (/** @type {unknown[] | undefined} */ values) => (values ? `enum: ${values.join(', ')}` : 'no enum');

/** Findings where two shapes (and enums, and required flags) differ. */
function compareShapes(
  /** @type {string} */ field,
  /** @type {Shape} */ source,
  /** @type {Shape} */ ours,
  /** @type {string} */ where,
) {
  /** @type {Finding[]} */
  const findings = [];
  for (const aspect of /** @type {const} */ (['type', 'format', 'ref'])) {
    if (source[aspect] !== ours[aspect])
      findings.push({ field, aspect, source: source[aspect] || '(none)', spec: ours[aspect] || '(none)', where });
  }
  return findings;
}

/**
 * The source's body parameter against the spec's requestBody: present, required alike, the media
 * types (swagger's `consumes`) and each media type's schema.
 * @param {SwaggerExtract} extract @param {any} spec @param {any} upstream @param {any} parameter @param {any} operation @param {string} where
 * @returns {{ findings: Finding[], roots: string[] }}
 */
function compareRequestBody(extract, spec, upstream, parameter, operation, where) {
  const roots = parameter.schema?.$ref ? [definitionName(parameter.schema.$ref)] : [];
  if (!operation.requestBody) {
    const field = `${upstream.operationId}.requestBody`;
    return { findings: [{ field, aspect: 'omitted', source: 'body parameter', spec: 'absent', where }], roots };
  }
  // A shared request body component (`#/components/requestBodies/Service`) is found by its name, so
  // one declaration covers every operation that takes it.
  const component = /^#\/components\/requestBodies\/([^/]+)$/.exec(String(operation.requestBody.$ref ?? ''));
  const field = component ? `requestBodies.${component[1]}` : `${upstream.operationId}.requestBody`;
  const requestBody = deref(spec, operation.requestBody);
  /** @type {Finding[]} */
  const findings = [];
  const required = (/** @type {unknown} */ flag) => (flag ? 'required' : 'optional');
  if (Boolean(parameter.required) !== Boolean(requestBody.required))
    findings.push({
      field,
      aspect: 'required',
      source: required(parameter.required),
      spec: required(requestBody.required),
      where,
    });
  const content = requestBody.content ?? {};
  const consumes = [...upstream.consumes].sort().join(', ');
  const mediaTypes = Object.keys(content).sort().join(', ');
  if (consumes !== mediaTypes)
    findings.push({ field, aspect: 'mediaType', source: consumes || '(none)', spec: mediaTypes || '(none)', where });
  for (const [mediaType, media] of Object.entries(content)) {
    if (!media.schema) continue;
    findings.push(
      ...compareShapes(
        `${field} ${mediaType}`,
        upstreamShape(extract, parameter.schema ?? {}),
        specShape(spec, media.schema),
        where,
      ),
    );
  }
  return { findings, roots };
}

/**
 * A response code the spec has and the source does not. A `$ref` to a shared response component
 * (`#/components/responses/NotFound`) is keyed by the component — `responses.NotFound` — so one
 * declaration covers every operation that uses it; an operation's own response by the operation.
 * @param {string} operationId @param {string} code @param {any} response @param {any} upstream @param {string} where
 * @returns {Finding}
 */
function addedResponse(operationId, code, response, upstream, where) {
  const component = typeof response?.$ref === 'string' && /^#\/components\/responses\/([^/]+)$/.exec(response.$ref);
  return {
    field: component ? `responses.${component[1]}` : `${operationId}.responses.${code}`,
    aspect: 'added',
    source: `codes ${Object.keys(upstream.responses).join(', ')}`,
    spec: `response ${code}`,
    where,
  };
}

/**
 * @param {{ extract: SwaggerExtract, operations: string[], mediaTypes?: Record<string, string>, spec: any, deviations: Deviation[], shared?: Deviation[] }} input
 *   `operations`: the operationIds this source covers; `mediaTypes`: response media types whose body
 *   is a definition other than the 200 schema (swagger 2.0 has one schema per response), e.g.
 *   { "application/json;stream=watch": "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent" }; `shared`: the
 *   shared declarations (spec/source/shared-deviations.yaml), see declarations.js.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one pass over the source's operations in the swagger's order (parameters, bodies, responses, definitions), each part a few lines
export function checkKubernetesSwagger({
  extract,
  operations: operationIds,
  mediaTypes = {},
  spec,
  deviations,
  shared = [],
}) {
  /** @type {string[]} */
  const problems = [];
  /** @type {Finding[]} */
  const findings = [];
  /** Findings per counted item, to tell matched from unmatched after declarations are applied. */
  /** @type {{ operations: (Finding[] | undefined)[], parameters: (Finding[] | undefined)[], properties: (Finding[] | undefined)[], responseCodes: (Finding[] | undefined)[] }} */
  const items = { operations: [], parameters: [], properties: [], responseCodes: [] };
  /** @type {Set<string>} */
  const roots = new Set();
  /** @type {any[]} */
  const specOperations = [];

  for (const operationId of operationIds) {
    const upstream = extract.operations.find((candidate) => candidate.operationId === operationId);
    if (!upstream) {
      problems.push(`the source declares ${operationId}, which is not an operation of its document`);
      items.operations.push(undefined);
      continue;
    }
    const ours = findOperation(spec, operationId);
    const where = `${operationId} (${upstream.method.toUpperCase()} ${upstream.path})`;
    if (!ours) {
      problems.push(`${where}: not in the spec`);
      items.operations.push(undefined);
      for (const _ of upstream.parameters) items.parameters.push(undefined);
      for (const _ of Object.keys(upstream.responses)) items.responseCodes.push(undefined);
      continue;
    }
    specOperations.push(ours);
    /** @type {Finding[]} */
    const operationFindings = [];
    const misplaced = ours.path !== upstream.path || ours.method !== upstream.method;
    if (misplaced) problems.push(`${where}: the spec has it at ${ours.method.toUpperCase()} ${ours.path}`);

    // The body parameter (swagger 2.0's `in: body`) is the spec's requestBody.
    const bodyParameter = upstream.parameters.find((parameter) => parameter.in === 'body');
    if (bodyParameter) {
      const result = compareRequestBody(extract, spec, upstream, bodyParameter, ours.operation, where);
      items.parameters.push(result.findings);
      operationFindings.push(...result.findings);
      for (const root of result.roots) roots.add(root);
    } else if (ours.operation.requestBody) {
      operationFindings.push({
        field: `${operationId}.requestBody`,
        aspect: 'added',
        source: '',
        spec: 'request body',
        where,
      });
    }

    // Parameters, matched by name and location.
    for (const parameter of upstream.parameters.filter((candidate) => candidate.in !== 'body')) {
      const field = `parameters.${parameter.name}`;
      const match = ours.parameters.find(
        (candidate) => candidate.name === parameter.name && candidate.in === parameter.in,
      );
      /** @type {Finding[]} */
      let result;
      if (!match) {
        const elsewhere = ours.parameters.find((candidate) => candidate.name === parameter.name);
        result = elsewhere
          ? [{ field, aspect: 'location', source: parameter.in, spec: elsewhere.in, where }]
          : [{ field, aspect: 'omitted', source: `${parameter.in} parameter`, spec: 'absent', where }];
      } else {
        result = compareShapes(field, upstreamShape(extract, parameter), specShape(spec, match.schema ?? {}), where);
        const required = (/** @type {unknown} */ flag) => (flag ? 'required' : 'optional');
        if (Boolean(parameter.required) !== Boolean(match.required))
          result.push({
            field,
            aspect: 'required',
            source: required(parameter.required),
            spec: required(match.required),
            where,
          });
        const sourceEnum = parameter.enum;
        const specEnum = deref(spec, match.schema ?? {})?.enum;
        if (enumText(sourceEnum) !== enumText(specEnum))
          result.push({ field, aspect: 'enum', source: enumText(sourceEnum), spec: enumText(specEnum), where });
      }
      items.parameters.push(result);
      operationFindings.push(...result);
    }
    for (const parameter of ours.parameters) {
      if (!upstream.parameters.some((candidate) => candidate.name === parameter.name)) {
        operationFindings.push({
          field: `parameters.${parameter.name}`,
          aspect: 'added',
          source: '',
          spec: `${parameter.in} parameter`,
          where,
        });
      }
    }

    // Response codes: the source's must all be there; the spec's others are additions.
    const specCodes = Object.keys(ours.operation.responses ?? {});
    for (const code of Object.keys(upstream.responses)) {
      const result = specCodes.includes(code)
        ? []
        : [{ field: `${operationId}.responses.${code}`, aspect: 'omitted', source: 'response', spec: 'absent', where }];
      items.responseCodes.push(result);
      operationFindings.push(...result);
    }
    for (const code of specCodes.filter((candidate) => !(candidate in upstream.responses)))
      operationFindings.push(addedResponse(operationId, code, ours.operation.responses[code], upstream, where));

    // Every 2xx body, and the 200's bodies of the declared extra media types.
    const ok = deref(spec, ours.operation.responses?.['200']);
    for (const [code, response] of Object.entries(upstream.responses)) {
      const upstreamBody = /^2\d\d$/.test(code) ? response.schema : undefined;
      if (!upstreamBody) continue;
      roots.add(definitionName(upstreamBody.$ref));
      const field = `${operationId}.responses.${code}`;
      const body = deref(spec, ours.operation.responses?.[code])?.content?.['application/json']?.schema;
      operationFindings.push(
        ...(body
          ? compareShapes(field, upstreamShape(extract, upstreamBody), specShape(spec, body), where)
          : [{ field, aspect: 'omitted', source: 'application/json body', spec: 'absent', where }]),
      );
    }
    for (const [mediaType, definition] of Object.entries(mediaTypes)) {
      if (!upstream.produces.includes(mediaType)) continue;
      roots.add(definition);
      const field = `${operationId}.responses.200 ${mediaType}`;
      const body = ok?.content?.[mediaType]?.schema;
      operationFindings.push(
        ...(body
          ? compareShapes(
              field,
              upstreamShape(extract, { $ref: `#/definitions/${definition}` }),
              specShape(spec, body),
              where,
            )
          : [{ field, aspect: 'omitted', source: definition, spec: 'absent', where }]),
      );
    }
    findings.push(...operationFindings);
    items.operations.push(misplaced ? undefined : operationFindings);
  }

  // Definitions: every property of every structural definition the operations reach.
  /** @type {Map<string, string>} title → spec schema name */
  const byTitle = new Map(
    Object.entries(spec.components?.schemas ?? {}).map(([name, schema]) => [
      String(/** @type {any} */ (schema).title),
      name,
    ]),
  );
  const definitions = roots.size > 0 ? reachableDefinitions(extract, [...roots]) : new Set();
  /** @type {Set<string>} */
  const mapped = new Set();
  for (const name of [...definitions].sort()) {
    const definition = extract.definitions[name];
    const specName = byTitle.get(name);
    if (specName) mapped.add(specName);
    if (!isStructural(definition)) continue;
    if (!specName) {
      findings.push({ field: name, aspect: 'omitted', source: 'definition', spec: 'absent' });
      for (const _ of Object.keys(definition.properties)) items.properties.push(undefined);
      continue;
    }
    const schema = spec.components.schemas[specName];
    const sourceRequired = new Set(definition.required ?? []);
    const specRequired = new Set(schema.required ?? []);
    for (const [property, upstreamProperty] of Object.entries(definition.properties)) {
      const field = `${specName}.${property}`;
      const where = `definition ${name}, property ${property}`;
      const ours = schema.properties?.[property];
      /** @type {Finding[]} */
      let result;
      if (!ours) {
        result = [{ field, aspect: 'omitted', source: 'property', spec: 'absent', where }];
      } else {
        result = compareShapes(field, upstreamShape(extract, upstreamProperty), specShape(spec, ours), where);
        const required = (/** @type {boolean} */ flag) => (flag ? 'required' : 'optional');
        if (sourceRequired.has(property) !== specRequired.has(property))
          result.push({
            field,
            aspect: 'required',
            source: required(sourceRequired.has(property)),
            spec: required(specRequired.has(property)),
            where,
          });
        const sourceEnum = /** @type {any} */ (upstreamProperty).enum;
        const specEnum = deref(spec, ours)?.enum;
        if (enumText(sourceEnum) !== enumText(specEnum))
          result.push({ field, aspect: 'enum', source: enumText(sourceEnum), spec: enumText(specEnum), where });
      }
      items.properties.push(result);
      findings.push(...result);
    }
    for (const property of Object.keys(schema.properties ?? {})) {
      if (!(property in definition.properties))
        findings.push({
          field: `${specName}.${property}`,
          aspect: 'added',
          source: '',
          spec: 'property',
          where: `definition ${name}`,
        });
    }
  }
  // Schemas the spec's operations reach that correspond to no definition of the source.
  for (const name of [...reachableSchemas(spec, specOperations)].sort()) {
    if (!mapped.has(name)) findings.push({ field: name, aspect: 'added', source: '', spec: 'schema' });
  }

  const { problems: declarationProblems, undeclared, sharedUsed } = matchDeclarations(findings, deviations, shared);
  problems.push(...declarationProblems);
  const count = (/** @type {(Finding[] | undefined)[]} */ list) => ({
    matched: list.filter((result) => result?.every((finding) => !undeclared.has(finding))).length,
    total: list.length,
  });
  return {
    problems,
    findings,
    operations: { matched: count(items.operations).matched, total: operationIds.length },
    parameters: count(items.parameters),
    properties: count(items.properties),
    responseCodes: count(items.responseCodes),
    declared: { matched: findings.filter((finding) => !undeclared.has(finding)).length, total: findings.length },
    sharedUsed,
  };
}
