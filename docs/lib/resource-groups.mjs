// The docs sidebar, grouped by resource: every operation under the tag of the resource its path
// addresses (`pods` for …/pods, …/pods/{name} and …/pods/{name}/log), and the tags under one
// `x-tagGroups` entry per API group and version (`core/v1` for /api/v1, `apps/v1` for /apis/apps/v1).
// Nothing is listed by hand: the resources come from the paths, their names from the kinds the
// operations answer.
//
// A resource keeps the spec's own tag (its name and description) when all its operations carry that
// one tag and no other resource's operation does; otherwise it gets a tag named after its kind in
// the resource's spelling (`Pods`, `ComponentStatuses`, `Endpoints`), as the spec names `Services`.
import { deref } from '@cci-openapi/spec-kit';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Where a path belongs: its API group/version and resource (undefined for the API's root).
 * @param {string} path
 */
export function resourceOf(path) {
  const segments = path.split('/').filter(Boolean);
  const api = segments[0] === 'api' ? 1 : segments[0] === 'apis' ? 2 : 0;
  const groupVersion = api === 1 ? `core/${segments[1]}` : api === 2 ? `${segments[1]}/${segments[2]}` : 'other';
  const rest = segments.slice(api + 1);
  const scoped = rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length > 2 ? rest.slice(2) : rest;
  return { groupVersion, resource: scoped[0], subresource: scoped.length > 2 };
}

/** The kind of a 200 JSON answer: its schema's title's last segment, without `List`. */
function answeredKind(bundle, operation) {
  const response = operation.responses?.['200'] && deref(bundle, operation.responses['200']);
  const schema = response?.content?.['application/json']?.schema;
  const title = schema && deref(bundle, schema)?.title;
  return typeof title === 'string' ? title.split(' ')[0].split('.').at(-1).replace(/List$/, '') : undefined;
}

function derivedTagName(resource, kinds) {
  const kind = [...kinds].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (kind && resource.startsWith(kind.toLowerCase())) return kind + resource.slice(kind.length);
  return resource[0].toUpperCase() + resource.slice(1);
}

/** Every operation with its resource (key `group/version resource`), from the bundle's paths. */
function operationsByResource(bundle) {
  const resources = new Map();
  for (const [path, item] of Object.entries(bundle.paths ?? {})) {
    const where = resourceOf(path);
    const key = `${where.groupVersion} ${where.resource ?? ''}`;
    if (!resources.has(key)) resources.set(key, { ...where, operations: [], kinds: new Map(), tags: new Set() });
    const entry = resources.get(key);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      entry.operations.push(operation);
      entry.tags.add(JSON.stringify(operation.tags ?? []));
      const kind = !where.subresource && answeredKind(bundle, operation);
      if (kind) entry.kinds.set(kind, (entry.kinds.get(kind) ?? 0) + 1);
    }
  }
  return resources;
}

/**
 * A copy of the bundle whose operations carry one tag per resource, with `tags` and `x-tagGroups`
 * for the sidebar.
 * @param {any} bundle
 */
export function groupByResource(bundle) {
  const grouped = structuredClone(bundle);
  const resources = operationsByResource(grouped);
  const specTags = new Map((bundle.tags ?? []).map((tag) => [tag.name, tag]));
  const resourcesOfTag = new Map();
  for (const { tags } of resources.values())
    for (const name of [...tags].flatMap((list) => JSON.parse(list)))
      resourcesOfTag.set(name, (resourcesOfTag.get(name) ?? 0) + 1);
  const tags = new Map();
  const groups = new Map();
  for (const { groupVersion, resource, operations, kinds, tags: carried } of resources.values()) {
    const only = carried.size === 1 ? JSON.parse([...carried][0]) : [];
    const own = only.length === 1 && resourcesOfTag.get(only[0]) === 1 && specTags.has(only[0]) ? only[0] : undefined;
    const name = own ?? (resource ? derivedTagName(resource, kinds) : groupVersion);
    if (!tags.has(name)) {
      const description = resource
        ? `The \`${resource}\` resource (${groupVersion}): the operations on it, its subresources and lists.`
        : `The ${groupVersion} API itself.`;
      tags.set(name, own ? specTags.get(own) : { name, description });
    }
    for (const operation of operations) operation.tags = [name];
    if (!groups.has(groupVersion)) groups.set(groupVersion, new Set());
    groups.get(groupVersion).add(name);
  }
  grouped.tags = [...tags.values()].sort((a, b) => a.name.localeCompare(b.name));
  grouped['x-tagGroups'] = [...groups].map(([name, names]) => ({ name, tags: [...names].sort() }));
  return grouped;
}
