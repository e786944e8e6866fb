// API discovery, derived from the spec's operations, so kubectl and the Kubernetes client
// libraries find the resources the mock serves: /api (APIVersions), /api/v1 (APIResourceList),
// /apis (APIGroupList), /apis/{group}/{version} (APIResourceList) and /version (version.Info).
// A resource's verbs are the operations present: a read by name is `get`, a list is `list`, a list
// that declares a watch stream adds `watch`, and the writes are `create`, `update` (a replace),
// `patch` and `delete`; a subresource (`…/{name}/status`) is its own entry.
// /openapi/v2 (the spec as Swagger 2.0, JSON or gnostic protobuf) is openapi-v2/'s.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createOpenApiV2, OPENAPI_V2_PATH, type OpenApiAnswer } from './openapi-v2/index.js';
import { operationRole } from './resources.js';
import { type CompiledOperation, type CompiledRoute, groupVersionOf } from './routes.js';
import type { OpenApiDocument } from './spec.js';

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface Discovery {
  /** The discovery document at this path, or undefined when the path is not a discovery path. */
  document(path: string, serverAddress: string): { body: unknown; alwaysPretty: boolean } | undefined;
  /**
   * The answer at /openapi/v2 (any method, as kube-apiserver's), or undefined for another path. The
   * body is bytes (protobuf for kubectl); the caller checks that the user may read the path first.
   */
  openApiV2(path: string, request: { method: string; headers: IncomingHttpHeaders }): OpenApiAnswer | undefined;
}

/**
 * What kube-apiserver adds from its own registry, which a spec does not say: short names and
 * categories (kubectl resolves `svc` and `all` with them), for core/v1 as kube-apiserver v1.20 lists them.
 */
const WELL_KNOWN: Record<string, { shortNames?: string[]; categories?: string[] }> = {
  componentstatuses: { shortNames: ['cs'] },
  configmaps: { shortNames: ['cm'] },
  endpoints: { shortNames: ['ep'] },
  events: { shortNames: ['ev'] },
  limitranges: { shortNames: ['limits'] },
  namespaces: { shortNames: ['ns'] },
  nodes: { shortNames: ['no'] },
  persistentvolumeclaims: { shortNames: ['pvc'] },
  persistentvolumes: { shortNames: ['pv'] },
  pods: { shortNames: ['po'], categories: ['all'] },
  replicationcontrollers: { shortNames: ['rc'], categories: ['all'] },
  resourcequotas: { shortNames: ['quota'] },
  serviceaccounts: { shortNames: ['sa'] },
  services: { shortNames: ['svc'], categories: ['all'] },
};

/**
 * The Kubernetes version the mock answers with: the kube-apiserver its behaviour is checked against
 * (v1.20.2 built from Debian's source package; see contract/).
 */
const MOCK_KUBERNETES_VERSION = {
  major: '1',
  minor: '20',
  gitVersion: 'v1.20.2',
  gitCommit: 'faecb196815e248d3ecfb03c680a4507229c2a56',
  gitTreeState: 'clean',
  buildDate: '2021-01-13T13:19:01Z',
  goVersion: 'go1.19.8',
} as const;

/** apimachinery's StorageVersionHash: base64 of the first 8 bytes of sha256("group/version/kind"). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

/** What one operation adds to discovery: the resource (or `resource/subresource`) it acts on, its kind and verb. */
interface DiscoveredOperation {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** A connect's verb is its method's (GET `get`, POST `create`), as kube-apiserver lists pods/exec. */
const CONNECT_VERBS: Partial<Record<string, string>> = {
  get: 'get',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
};

/**
 * kube-apiserver's verbs for what an operation does: a replace is `update`, a list that declares a
 * watch stream adds `watch`. The kind is the object's; a connect's is its options kind when the spec
 * says it (`x-kubernetes-group-version-kind`, as upstream's operations do: PodExecOptions).
 */
function discoveredOperation(
  spec: OpenApiDocument,
  route: CompiledRoute,
  operation: CompiledOperation,
): DiscoveredOperation | undefined {
  const role = operationRole(spec, route, operation);
  if (role.role === 'unsupported') return undefined;
  const subresource = 'subresource' in role ? role.subresource : undefined;
  const name = subresource ? `${role.resource}/${subresource}` : role.resource;
  const declaredKind = (operation.operation as { 'x-kubernetes-group-version-kind'?: { kind?: unknown } })[
    'x-kubernetes-group-version-kind'
  ]?.kind;
  const kind = typeof declaredKind === 'string' ? declaredKind : (role.kind ?? '');
  const verbs = (() => {
    switch (role.role) {
      case 'read':
      case 'text':
        return ['get'];
      case 'list':
        return role.watchable ? ['list', 'watch'] : ['list'];
      case 'replace':
        return ['update'];
      case 'connect':
        return CONNECT_VERBS[operation.method] ? [CONNECT_VERBS[operation.method] as string] : [];
      default:
        return [role.role];
    }
  })();
  return { name, kind, namespaced: role.namespaced, verbs };
}

type ResourceEntry = ApiResource & { verbSet: Set<string> };
interface GroupVersionEntry {
  group: string;
  version: string;
  resources: Map<string, ResourceEntry>;
}

/** Every resource of the spec's operations, by group-version prefix ("/api/v1") and resource name. */
function collectResources(spec: OpenApiDocument, routes: readonly CompiledRoute[]): Map<string, GroupVersionEntry> {
  const byGroupVersion = new Map<string, GroupVersionEntry>();
  for (const route of routes) {
    const gv = groupVersionOf(route.template);
    if (!gv) continue;
    for (const operation of route.operations.values()) {
      const discovered = discoveredOperation(spec, route, operation);
      if (!discovered) continue;
      const { name, kind, verbs } = discovered;
      let entry = byGroupVersion.get(gv.prefix);
      if (!entry)
        byGroupVersion.set(gv.prefix, (entry = { group: gv.group, version: gv.version, resources: new Map() }));
      let resource = entry.resources.get(name);
      if (!resource) {
        const isMain = !name.includes('/');
        resource = {
          name,
          singularName: '',
          namespaced: false,
          kind,
          verbs: [],
          ...(isMain && WELL_KNOWN[name]),
          ...(isMain && { storageVersionHash: storageVersionHash(gv.group, gv.version, kind) }),
          verbSet: new Set(),
        };
        entry.resources.set(name, resource);
      }
      // kube-apiserver marks a resource namespaced when it lives under namespaces/{namespace},
      // even if it can also be listed across all namespaces.
      if (discovered.namespaced) resource.namespaced = true;
      for (const verb of verbs) resource.verbSet.add(verb);
    }
  }
  return byGroupVersion;
}

/** The APIResourceList of one group version, resources by name, as kube-apiserver orders its fields. */
function resourceList(entry: GroupVersionEntry) {
  const resources = [...entry.resources.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ verbSet, ...resource }) => {
      const { shortNames, categories, storageVersionHash: hash, ...required } = resource;
      return {
        ...required,
        verbs: [...verbSet].sort(),
        ...(shortNames && { shortNames }),
        ...(categories && { categories }),
        ...(hash && { storageVersionHash: hash }),
      };
    });
  const groupVersion = entry.group === '' ? entry.version : `${entry.group}/${entry.version}`;
  // The core group's list carries no apiVersion; a named group's does (as kube-apiserver answers).
  return entry.group === ''
    ? { kind: 'APIResourceList', groupVersion, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/** /version, /api and /apis: what is served, the versions of the core group and the named groups. */
function rootDocument(
  path: string,
  serverAddress: string,
  byGroupVersion: ReadonlyMap<string, GroupVersionEntry>,
): { body: unknown; alwaysPretty: boolean } | undefined {
  if (path === '/version') {
    const platform = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;
    // kube-apiserver writes /version with json.MarshalIndent, whatever the client.
    return { body: { ...MOCK_KUBERNETES_VERSION, compiler: 'gc', platform }, alwaysPretty: true };
  }
  const entries = [...byGroupVersion.values()];
  if (path === '/api') {
    const coreVersions = entries.filter((e) => e.group === '').map((e) => e.version);
    const versions = coreVersions.length > 0 ? coreVersions : ['v1'];
    const serverAddressByClientCIDRs = [{ clientCIDR: '0.0.0.0/0', serverAddress }];
    return { body: { kind: 'APIVersions', versions, serverAddressByClientCIDRs }, alwaysPretty: false };
  }
  if (path !== '/apis') return undefined;
  const groups = new Map<string, string[]>();
  for (const entry of entries)
    if (entry.group !== '') groups.set(entry.group, [...(groups.get(entry.group) ?? []), entry.version]);
  const list = [...groups.entries()].map(([name, versions]) => {
    const forms = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: forms, preferredVersion: forms[0] };
  });
  return { body: { kind: 'APIGroupList', apiVersion: 'v1', groups: list }, alwaysPretty: false };
}

export function createDiscovery(spec: OpenApiDocument, routes: readonly CompiledRoute[]): Discovery {
  const byGroupVersion = collectResources(spec, routes);
  const openApi = createOpenApiV2(spec);
  return {
    openApiV2: (path, request) => (path === OPENAPI_V2_PATH ? openApi.answer(request) : undefined),
    document(path, serverAddress) {
      const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
      const entry = byGroupVersion.get(clean);
      if (entry) return { body: resourceList(entry), alwaysPretty: false };
      return rootDocument(clean, serverAddress, byGroupVersion);
    },
  };
}
