#!/usr/bin/env node
// Imports the core/v1 operations of the upstream Kubernetes API reference (swagger 2.0) into a spec
// tree laid out as spec/ is: spec/openapi.yaml + paths/*.yaml + components/**. It is how the next
// operations arrive, and the slow test's way to the 157 operations of Kubernetes v1.19's core/v1.
//
//   node scripts/import-upstream.mjs --out <spec dir> [--source <swagger.json[.gz]>]
//
// An operation the target already has (by operationId, or by path and method) is never touched:
// the hand-written ones stay as they are, and so does every existing component file. The texts of
// imported operations are upstream's; the repository's spec/ asks for descriptions in our own words,
// so run this on a copy (the slow test does) unless you mean to rewrite them afterwards.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { createConverter } from './lib/upstream-convert.mjs';
import { readSwagger, resourceOf, resourceTags, selectCoreV1, tagFor } from './lib/upstream-select.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Upstream's document, committed unchanged beside the slow test that imports it (Apache-2.0, as
// Kubernetes publishes it), so that every clone has it.
const DEFAULT_SOURCE = join(root, 'test', 'lib', 'large-spec', 'k8s-v1.19-swagger.json.gz');
const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 100 };

const USAGE = `Usage: node scripts/import-upstream.mjs --out <spec dir> [--source <swagger.json[.gz]>]

Imports the core/v1 operations of a Kubernetes swagger 2.0 document (without watch/ and proxy
paths) into <spec dir> (a copy of the repository's spec/: openapi.yaml, paths/, components/).
Operations and component files already there are kept as they are.

  --out <dir>       the spec folder to write into (required)
  --source <file>   the swagger document, gzipped or not (default: Kubernetes v1.19's,
                    test/lib/large-spec/k8s-v1.19-swagger.json.gz)
  --help            this text
`;

/** The target spec: its openapi.yaml document, operations and reusable component files. */
function readTarget(specDir) {
  const entry = join(specDir, 'openapi.yaml');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: --out must be a spec folder (a copy of spec/)`);
  const document = YAML.parseDocument(readFileSync(entry, 'utf8'));
  const paths = new Map();
  const operationIds = new Set();
  for (const [path, item] of Object.entries(document.toJS().paths ?? {})) {
    const file = item.$ref ? join(specDir, item.$ref) : undefined;
    const pathItem = file ? YAML.parse(readFileSync(file, 'utf8')) : item;
    paths.set(path, { file, pathItem });
    for (const value of Object.values(pathItem)) if (value?.operationId) operationIds.add(value.operationId);
  }
  const components = (kind) => {
    const dir = join(specDir, 'components', kind);
    const names = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.yaml')) : [];
    return names.map((name) => [name.slice(0, -'.yaml'.length), YAML.parse(readFileSync(join(dir, name), 'utf8'))]);
  };
  const schemaFiles = new Map(components('schemas').map(([file, schema]) => [schema?.title ?? file, file]));
  // JsonPatch is ours (swagger has no schema for a JSON Patch): reachable by its own name.
  if ([...schemaFiles.values()].includes('JsonPatch')) schemaFiles.set('JsonPatch', 'JsonPatch');
  const parameters = components('parameters');
  const parameterFiles = new Map(parameters.map(([file, parameter]) => [`${parameter.in}:${parameter.name}`, file]));
  const nameSchema = parameters.find(([, parameter]) => parameter.in === 'path' && parameter.name === 'name')?.[1]
    ?.schema ?? { type: 'string' };
  return { document, paths, operationIds, schemaFiles, parameterFiles, nameSchema, ...errorResponsesOf(paths) };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The error responses every hand-written operation declares (code → components/responses file),
 * and those every one with a request body adds (413): each imported operation gets the same. What
 * only some declare (410 Gone, a list's expired continue token) is theirs, not shared.
 */
function errorResponsesOf(paths) {
  const files = new Map();
  const declared = [];
  for (const { pathItem } of paths.values()) {
    for (const method of METHODS) {
      const operation = pathItem?.[method];
      if (!operation) continue;
      const codes = new Set();
      for (const [code, response] of Object.entries(operation.responses ?? {})) {
        const file = /components\/responses\/([^/]+)\.yaml$/.exec(response?.$ref ?? '')?.[1];
        if (Number(code) < 400 || !file) continue;
        codes.add(code);
        files.set(code, file);
      }
      declared.push({ codes, hasBody: Boolean(operation.requestBody) });
    }
  }
  const everyOne = (list) =>
    [...files.keys()].filter((code) => list.length > 0 && list.every(({ codes }) => codes.has(code)));
  const shared = everyOne(declared);
  const withBody = everyOne(declared.filter(({ hasBody }) => hasBody));
  if (shared.length === 0) throw new Error('the target spec declares no error responses its operations share');
  const codes = [...new Set([...shared, ...withBody])].sort((a, b) => Number(a) - Number(b));
  return {
    errorResponses: new Map(codes.map((code) => [code, files.get(code)])),
    bodyOnlyCodes: new Set(withBody.filter((code) => !shared.includes(code))),
  };
}

/** The operation in our layout. */
function convertOperation(converter, { operation }, tag, extraParameters) {
  const body = (operation.parameters ?? []).find((parameter) => parameter.in === 'body');
  const parameters = [
    ...extraParameters,
    ...(operation.parameters ?? []).filter((parameter) => parameter.in !== 'body'),
  ];
  const text = (operation.description ?? operation.operationId).trim();
  const sentence = text[0].toUpperCase() + text.slice(1);
  return {
    operationId: operation.operationId,
    tags: [tag],
    summary: sentence,
    description: `${sentence}${sentence.endsWith('.') ? '' : '.'} (Kubernetes v1.19 API reference, core/v1.)\n`,
    ...(parameters.length ? { parameters: parameters.map((parameter) => converter.parameter(parameter)) } : {}),
    ...(body ? { requestBody: converter.requestBody(body, operation.consumes) } : {}),
    responses: converter.responses(operation, Boolean(body)),
    ...(operation['x-kubernetes-action'] ? { 'x-kubernetes-action': operation['x-kubernetes-action'] } : {}),
    ...(operation['x-kubernetes-group-version-kind']
      ? { 'x-kubernetes-group-version-kind': operation['x-kubernetes-group-version-kind'] }
      : {}),
  };
}

const pathFileName = (path) => `paths/${path.slice(1).replace(/\/$/, '').replaceAll('/', '_')}.yaml`;

function tagDescription(tag, path) {
  const resource = resourceOf(path)?.resource;
  if (!resource)
    return 'The core/v1 API itself: the resources it serves (discovery). Imported from the Kubernetes v1.19 API reference.';
  return `Kubernetes ${tag} (core/v1): the \`${resource}\` resource, its subresources and lists. Imported from the Kubernetes v1.19 API reference.`;
}

/** Imports into `specDir`; returns what it did, for the summary line. */
export function importUpstream({ specDir, source = DEFAULT_SOURCE }) {
  const swagger = readSwagger(source);
  const { operations, skipped } = selectCoreV1(swagger);
  const target = readTarget(specDir);
  const kept = operations.filter(
    ({ path, method, operation }) =>
      target.operationIds.has(operation.operationId) || Boolean(target.paths.get(path)?.pathItem?.[method]),
  );
  const imported = operations.filter((selected) => !kept.includes(selected));
  const tags = resourceTags(operations);
  const converter = createConverter({ swagger, ...target, operations: imported });

  const byPath = new Map();
  for (const one of imported) byPath.set(one.path, [...(byPath.get(one.path) ?? []), one]);
  const existingTags = new Set((target.document.toJS().tags ?? []).map((tag) => tag.name));
  for (const [path, selected] of byPath) {
    const known = target.paths.get(path);
    const pathParameters = selected[0].pathItem.parameters ?? [];
    if (known?.file) {
      // A path the spec has: add the missing methods to its file, leaving the rest (and its comments) alone.
      const document = YAML.parseDocument(readFileSync(known.file, 'utf8'));
      const extra = pathParameters.filter((parameter) => parameter.in !== 'path');
      for (const one of selected)
        document.set(
          one.method,
          document.createNode(convertOperation(converter, one, tagFor(tags, path), extra), {
            aliasDuplicateObjects: false,
          }),
        );
      writeFileSync(known.file, document.toString(YAML_OPTIONS));
    } else {
      const item = {
        ...(pathParameters.length
          ? { parameters: pathParameters.map((parameter) => converter.parameter(parameter)) }
          : {}),
      };
      for (const one of selected) item[one.method] = convertOperation(converter, one, tagFor(tags, path), []);
      const file = pathFileName(path);
      converter.files.set(file, item);
      target.document.setIn(['paths', path], target.document.createNode({ $ref: file }));
    }
    const tag = tagFor(tags, path);
    if (!existingTags.has(tag)) {
      existingTags.add(tag);
      target.document.addIn(
        ['tags'],
        target.document.createNode({ name: tag, description: tagDescription(tag, path) }),
      );
    }
  }
  for (const [file, content] of converter.files) {
    const at = join(specDir, file);
    if (existsSync(at)) throw new Error(`${file} exists already; the importer never overwrites a file`);
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(at, YAML.stringify(content, YAML_OPTIONS));
  }
  writeFileSync(join(specDir, 'openapi.yaml'), target.document.toString(YAML_OPTIONS));
  return {
    selected: operations.length,
    skipped,
    kept: kept.length,
    imported: imported.length,
    files: converter.files.size,
  };
}

/** The command line's options, or undefined (with the usage on stderr) when they are not understood. */
function options(argv) {
  try {
    return parseArgs({
      args: argv,
      options: { out: { type: 'string' }, source: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    process.stderr.write(`import-upstream: ${error.message}\n\n${USAGE}`);
    return undefined;
  }
}

function main(argv) {
  const values = options(argv);
  if (values?.help) return void process.stdout.write(USAGE);
  if (values && !values.out) process.stderr.write(`import-upstream: --out <spec dir> is required\n\n${USAGE}`);
  if (!values?.out) return void (process.exitCode = 2);
  try {
    const result = importUpstream({
      specDir: resolve(values.out),
      ...(values.source ? { source: resolve(values.source) } : {}),
    });
    console.log(
      `import-upstream: ${result.selected} core/v1 operations (left out: ${result.skipped.watch} watch/, ` +
        `${result.skipped.proxy} proxy); ${result.kept} already in the spec, kept as they are; ` +
        `${result.imported} imported, ${result.files} files written`,
    );
  } catch (error) {
    process.stderr.write(`import-upstream: ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
