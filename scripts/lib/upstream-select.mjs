// Which upstream operations the importer takes (scripts/import-upstream.mjs): the core/v1 paths of a
// Kubernetes swagger 2.0 document, without the deprecated `watch/` endpoints (a list operation's
// `watch=true` does the same) and without `proxy` paths (they forward arbitrary requests to a pod,
// service or node, which no typed client or mock can describe). And where each one belongs: its
// resource (the path's collection segment) and that resource's kind, from the upstream
// `x-kubernetes-group-version-kind` of the resource's own (not subresource) operations.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const CORE_V1 = '/api/v1/';

/** The swagger document, gzipped or not. */
export function readSwagger(file) {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  const swagger = JSON.parse(text);
  if (swagger.swagger !== '2.0') throw new Error(`${file}: not a swagger 2.0 document (swagger: ${swagger.swagger})`);
  return swagger;
}

/** Why a core/v1 path is left out, or undefined when it is imported. */
function leftOut(path) {
  const segments = path.split('/');
  if (segments.includes('watch')) return 'watch';
  if (segments.includes('proxy')) return 'proxy';
  return undefined;
}

/**
 * The core/v1 operations of the document: { path, method, operation, pathItem } for each imported
 * one, and the counts of those left out by reason.
 */
export function selectCoreV1(swagger) {
  const operations = [];
  const skipped = { watch: 0, proxy: 0 };
  for (const [path, pathItem] of Object.entries(swagger.paths ?? {})) {
    if (!path.startsWith(CORE_V1)) continue;
    const reason = leftOut(path);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      if (reason) skipped[reason] += 1;
      else operations.push({ path, method, operation, pathItem });
    }
  }
  return { operations, skipped };
}

/**
 * The resource a core/v1 path addresses and whether the path is the resource itself (its
 * collection or one object) rather than a subresource: `pods` for …/namespaces/{namespace}/pods,
 * …/pods/{name} and …/pods/{name}/log; undefined for the API root `/api/v1/`.
 */
export function resourceOf(path) {
  const segments = path.slice(CORE_V1.length).split('/').filter(Boolean);
  const rest =
    segments[0] === 'namespaces' && segments[1] === '{namespace}' && segments.length > 2 ? segments.slice(2) : segments;
  if (rest.length === 0) return undefined;
  return { resource: rest[0], subresource: rest.length > 2 };
}

/**
 * The tag of each resource: its kind in the resource's own spelling, `Pod` + `s` for `pods`,
 * `ComponentStatus` + `es` for `componentstatuses`, `Endpoints` for `endpoints` (as the
 * hand-written spec tags its Service operations `Services`). The API root gets `APIResources`.
 */
export function resourceTags(operations) {
  const kinds = new Map();
  for (const { path, operation } of operations) {
    const where = resourceOf(path);
    const kind = operation['x-kubernetes-group-version-kind']?.kind;
    if (!where || where.subresource || !kind || kinds.has(where.resource)) continue;
    kinds.set(where.resource, kind);
  }
  const tags = new Map();
  for (const { path } of operations) {
    const where = resourceOf(path);
    const resource = where?.resource ?? '';
    if (tags.has(resource)) continue;
    tags.set(resource, where ? tagOf(resource, kinds.get(resource)) : 'APIResources');
  }
  return tags;
}

function tagOf(resource, kind) {
  if (kind && resource.startsWith(kind.toLowerCase())) return kind + resource.slice(kind.length);
  return resource[0].toUpperCase() + resource.slice(1);
}

/** The tag of the operation at `path`, from resourceTags(). */
export function tagFor(tags, path) {
  return tags.get(resourceOf(path)?.resource ?? '');
}
