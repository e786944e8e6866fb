// Fixture loading: Services from a JSON or YAML file (or given in code), each validated against the
// spec's Service schema, so the mock can never serve something the spec does not describe.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { Service } from '@cce-openapi/types';
import { isDns1035Label, isDns1123Label } from './names.js';
import { createSchemaValidator, type SchemaValidator } from './schema-validator.js';
import { loadBundledSpec, resolvePointer, type OpenApiDocument } from './spec.js';

/** The fixtures shipped with the package: the page's example plus one Service of every other kind. */
export const defaultFixturesPath = fileURLToPath(new URL('../fixtures/services.yaml', import.meta.url));

/** A fixture that cannot be served; the message names the file and the item. */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

const SERVICE_SCHEMA = '#/components/schemas/Service';

/** Items of a fixture document: a list, a Kubernetes `List` (`items:`), or a single Service. */
function itemsOf(document: unknown, where: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (document && typeof document === 'object') {
    const items = (document as { items?: unknown }).items;
    if (Array.isArray(items)) return items;
    if ('kind' in document || '$ref' in document) return [document];
  }
  if (document === null || document === undefined) return [];
  throw new FixtureError(`${where}: expected a list of Services, an object with "items", or a Service`);
}

function readFixtureFile(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FixtureError(`cannot read fixtures file ${path}: ${(error as Error).message}`);
  }
  if (/\.json$/i.test(path)) {
    try {
      return itemsOf(JSON.parse(text), path);
    } catch (error) {
      if (error instanceof FixtureError) throw error;
      throw new FixtureError(`${path}: invalid JSON: ${(error as Error).message}`);
    }
  }
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  return list.flatMap((document, index) => {
    const where = list.length > 1 ? `${path} (document ${index + 1})` : path;
    if (document.errors.length > 0) throw new FixtureError(`${where}: invalid YAML: ${document.errors[0]?.message}`);
    return itemsOf(document.toJS(), where);
  });
}

function describe(item: unknown, index: number, source: string): string {
  const meta = (item as { metadata?: { namespace?: unknown; name?: unknown } } | null)?.metadata;
  const id = meta && typeof meta.name === 'string' ? ` (${String(meta.namespace ?? '?')}/${meta.name})` : '';
  return `${source} item ${index}${id}`;
}

/**
 * Loads and validates fixtures. `source` is a path to a .json/.yaml/.yml file, or Services given in
 * code; by default the package's own fixtures. Throws FixtureError on the first bad item.
 */
export function loadFixtures(
  source: readonly Service[] | string = defaultFixturesPath,
  spec: OpenApiDocument = loadBundledSpec(),
  validate: SchemaValidator = createSchemaValidator(spec),
): Service[] {
  const label = typeof source === 'string' ? source : 'fixtures';
  const raw = typeof source === 'string' ? readFixtureFile(source) : [...source];
  const seen = new Set<string>();
  return raw.map((item, index) => {
    let service = item;
    if (item && typeof item === 'object' && typeof (item as { $ref?: unknown }).$ref === 'string') {
      const pointer = (item as { $ref: string }).$ref;
      if (!pointer.startsWith('#/components/examples/')) {
        throw new FixtureError(`${label} item ${index}: $ref must point into the spec's #/components/examples/, got ${pointer}`);
      }
      try {
        service = structuredClone(resolvePointer(spec, pointer));
      } catch {
        throw new FixtureError(`${label} item ${index}: $ref ${pointer} does not resolve in the bundled spec`);
      }
    }
    const where = describe(service, index, label);
    const problems = validate(SERVICE_SCHEMA, service);
    if (problems.length > 0) throw new FixtureError(`${where} is not a valid Service: ${problems.join('; ')}`);
    const { namespace, name } = (service as Service).metadata;
    if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
      throw new FixtureError(`${where}: metadata.namespace must be a DNS-1123 label, got ${JSON.stringify(namespace)}`);
    }
    if (typeof name !== 'string' || !isDns1035Label(name)) {
      throw new FixtureError(`${where}: metadata.name must be a DNS-1035 label, got ${JSON.stringify(name)}`);
    }
    const key = `${namespace}/${name}`;
    if (seen.has(key)) throw new FixtureError(`${where}: duplicate Service ${key}`);
    seen.add(key);
    return service as Service;
  });
}
