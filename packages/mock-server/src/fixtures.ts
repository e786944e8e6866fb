// Fixture loading: Kubernetes objects from JSON or YAML files (or given in code), each validated
// against the spec's schema of its `kind`, so the mock can never serve something the spec does not
// describe. Fixtures are grouped by kind: fixtures/services.yaml holds the Services; a folder of
// such files (one per kind) can be given as well.
//
// Errors name the file, the line and the item, never the text around them: a fixtures flag pointed
// at the wrong file (a .env, a kubeconfig) must not print its secrets.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Service } from '@cci-openapi/types';
import { createSpecValidator, resolvePointer } from '@cci-openapi/spec-kit';
import { isDns1035Label, isDns1123Label } from './names.js';
import { FileReadProblem, MAX_FIXTURE_FILE_BYTES, readRegularFile } from './regular-file.js';
import { loadBundledSpec, type OpenApiDocument } from './spec.js';

/** The fixtures shipped with the package (one file per kind); today the Services of fixtures/services.yaml. */
export const defaultFixturesPath = fileURLToPath(new URL('../fixtures/services.yaml', import.meta.url));

/** A fixture that cannot be served; the message names the file, the line and the item. */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

export interface FixtureValidator {
  validate(pointer: string, value: unknown): string[];
}

interface RawItem {
  value: unknown;
  /** "file:line" or "fixtures" for objects given in code. */
  where: string;
}

/** Items of a parsed document: a list, a Kubernetes `List` (`items:`), or a single object. */
function itemsOf(document: unknown): unknown[] | undefined {
  if (Array.isArray(document)) return document;
  if (document && typeof document === 'object') {
    const items = (document as { items?: unknown }).items;
    if (Array.isArray(items)) return items;
    if ('kind' in document || '$ref' in document) return [document];
  }
  if (document === null || document === undefined) return [];
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** The start offset of each item of a document, from the YAML syntax tree. */
function itemOffsets(document: Document.Parsed): number[] {
  const offsets = (node: unknown) =>
    isSeq(node) ? node.items.map((item) => (item as { range?: number[] }).range?.[0] ?? 0) : [];
  const { contents } = document;
  if (isSeq(contents)) return offsets(contents);
  if (isMap(contents)) {
    const items = contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'items');
    if (items && isSeq(items.value)) return offsets(items.value);
    return [contents.range[0]];
  }
  return [];
}

function readFixtureFile(path: string): RawItem[] {
  let text: string;
  try {
    // A regular file of at most 64 MiB: /dev/zero or a FIFO is refused, never read (regular-file.ts).
    text = readRegularFile(path, MAX_FIXTURE_FILE_BYTES).toString('utf8');
  } catch (error) {
    const why =
      error instanceof FileReadProblem ? error.message : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new FixtureError(`cannot read fixtures file ${path}: ${why}`);
  }
  if (/\.json$/i.test(path)) {
    try {
      JSON.parse(text);
    } catch (error) {
      // V8's message quotes the text around the error: give only the position.
      const position = /position (\d+)/.exec((error as Error).message);
      throw new FixtureError(`${path}${position ? `:${lineAt(text, Number(position[1]))}` : ''}: invalid JSON`);
    }
  }
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  return list.flatMap((document) => {
    const error = document.errors[0];
    if (error) {
      // The yaml library's message can quote the file (an alias, a tag): give its code and place only.
      const { line, col } = lines.linePos(error.pos[0]);
      throw new FixtureError(`${path}:${line}:${col}: invalid YAML (${error.code})`);
    }
    const items = itemsOf(document.toJS());
    const start = lines.linePos(document.range[0]).line;
    if (!items)
      throw new FixtureError(
        `${path}:${start}: expected a list of objects, an object with "items", or an object with a kind`,
      );
    const offsets = itemOffsets(document);
    return items.map((value, index) => ({
      value,
      where: `${path}:${offsets[index] !== undefined ? lines.linePos(offsets[index] as number).line : start}`,
    }));
  });
}

/** Files of a fixtures folder: every .yaml, .yml and .json in it, in name order. */
function readSource(source: string): RawItem[] {
  let isFolder = false;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    // Reported by readFixtureFile.
  }
  if (!isFolder) return readFixtureFile(source);
  return readdirSync(source)
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .flatMap((name) => readFixtureFile(join(source, name)));
}

/**
 * Loads and validates fixtures. `source` is a path to a .json/.yaml/.yml file or a folder of them,
 * or objects given in code; by default the package's own fixtures. An item without `kind` is a
 * Service. Throws FixtureError on the first bad item.
 */
export function loadFixtures<T = Service>(
  source: readonly object[] | string = defaultFixturesPath,
  spec: OpenApiDocument = loadBundledSpec(),
  validator?: FixtureValidator,
): T[] {
  const check = validator ?? createSpecValidator(spec);
  // Objects given in code are copied: the caller keeps its own, the mock freezes its copy.
  const raw: RawItem[] =
    typeof source === 'string'
      ? readSource(source)
      : source.map((value) => ({ value: structuredClone(value), where: 'fixtures' }));
  const seen = new Set<string>();
  const schemas = (spec.components.schemas ?? {}) as Record<string, unknown>;
  return raw.map(({ value: item, where: place }, index) => {
    let object = item;
    const label = `${place} item ${index}`;
    if (item && typeof item === 'object' && typeof (item as { $ref?: unknown }).$ref === 'string') {
      const pointer = (item as { $ref: string }).$ref;
      if (!pointer.startsWith('#/components/examples/'))
        throw new FixtureError(`${label}: $ref must point into the spec's #/components/examples/, got ${pointer}`);
      try {
        object = structuredClone(resolvePointer(spec, pointer));
      } catch {
        throw new FixtureError(`${label}: $ref ${pointer} does not resolve in the bundled spec`);
      }
    }
    if (!object || typeof object !== 'object' || Array.isArray(object))
      throw new FixtureError(`${label}: expected an object`);
    const meta = (object as { metadata?: { namespace?: unknown; name?: unknown } }).metadata;
    const where = `${label}${meta && typeof meta.name === 'string' ? ` (${String(meta.namespace ?? '?')}/${meta.name})` : ''}`;
    const kind = (object as { kind?: unknown }).kind ?? 'Service';
    if (typeof kind !== 'string' || !Object.hasOwn(schemas, kind))
      throw new FixtureError(`${where}: the spec has no schema for kind ${JSON.stringify(kind)}`);
    const problems = check.validate(`#/components/schemas/${kind}`, object);
    if (problems.length > 0) throw new FixtureError(`${where} is not a valid ${kind}: ${problems.join('; ')}`);
    const { namespace, name } = (object as { metadata: { namespace?: unknown; name?: unknown } }).metadata;
    if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
      throw new FixtureError(`${where}: metadata.namespace must be a DNS-1123 label, got ${JSON.stringify(namespace)}`);
    }
    if (typeof name !== 'string' || !(kind === 'Service' ? isDns1035Label(name) : isDns1123Label(name))) {
      throw new FixtureError(
        `${where}: metadata.name must be a ${kind === 'Service' ? 'DNS-1035' : 'DNS-1123'} label, got ${JSON.stringify(name)}`,
      );
    }
    const key = `${kind} ${namespace}/${name}`;
    if (seen.has(key)) throw new FixtureError(`${where}: duplicate ${kind} ${namespace}/${name}`);
    seen.add(key);
    return object as T;
  });
}
