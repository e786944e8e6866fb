// The spec against each of its source documents (spec/source/<name>/), with every deliberate
// difference declared in that source's deviations.yaml. Prints one figure per source.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkCciPage,
  checkKubernetesSwagger,
  checkSources,
  loadSharedDeviations,
  parseSourcePage,
  type SourcePage,
} from '@cci-openapi/spec-kit';
import {
  bundleSpec,
  cciPageSource,
  loadAllSources,
  loadSourcePage,
  loadUpstreamExtract,
  sourceDir,
  upstreamSource,
} from './load';

const page = loadSourcePage();
const extract = loadUpstreamExtract();
const pageDeviations = cciPageSource().deviations;
const upstream = upstreamSource();
const shared = loadSharedDeviations(sourceDir);
let spec: any;
beforeAll(() => {
  spec = bundleSpec();
});
const clone = <T>(value: T): T => structuredClone(value);
const checkPage = (candidate: any, onPage: SourcePage = page) =>
  checkCciPage({ page: onPage, spec: candidate, deviations: pageDeviations, shared });
const checkUpstream = (
  candidate: any,
  operations = upstream.declaration.kind === 'kubernetes-swagger' ? upstream.declaration.operations : [],
) =>
  checkKubernetesSwagger({
    extract,
    operations,
    mediaTypes: (upstream.declaration as any).mediaTypes,
    spec: candidate,
    deviations: upstream.deviations,
    shared,
  });

describe('every source', () => {
  it('matches the spec, with every difference declared, and every operation comes from a source', () => {
    const { sources, uncovered, uncoveredHelp, shared } = checkSources({ sourceDir, spec });
    for (const source of sources)
      console.log(
        `fidelity ${source.figure}; ${source.declared.matched}/${source.declared.total} findings declared, ${source.sharedFindings} of them by ${source.sharedUsed.length} shared declarations`,
      );
    console.log(
      `fidelity shared: ${shared.deviations.length} declared deviations (spec/source/shared-deviations.yaml), ${new Set(sources.flatMap((source) => source.sharedUsed)).size} in use`,
    );
    // The two documents the spec started from; a new source folder (a new operation's) may join them.
    expect(sources.map((source) => source.name)).toEqual(expect.arrayContaining(['cci-page', 'upstream']));
    for (const source of sources) {
      expect(source.problems, source.name).toEqual([]);
      for (const [what, count] of Object.entries({ ...source.counts, findings: source.declared }))
        expect(count.matched, `${source.name} ${what}`).toBe(count.total);
    }
    expect(uncovered, uncoveredHelp).toEqual([]);
    expect(shared.problems).toEqual([]);
    const cci = sources.find((source) => source.name === 'cci-page')!;
    const k8s = sources.find((source) => source.name === 'upstream')!;
    expect(cci.counts).toMatchObject({ operations: { total: 1 }, rows: { total: 64 }, statusCodes: { total: 14 } });
    // Floors, not exact figures: listing one more operation of the document in source.yaml adds to them.
    expect(k8s.counts.operations!.total).toBe(k8s.operationIds.length);
    expect(k8s.counts.operations!.total).toBeGreaterThanOrEqual(3);
    expect(k8s.counts.parameters!.total).toBeGreaterThanOrEqual(26);
    expect(k8s.counts.responseCodes!.total).toBeGreaterThanOrEqual(6);
    expect(k8s.counts.properties!.total).toBeGreaterThanOrEqual(70);
  });

  // An operation id no Kubernetes API has, so the example never meets a real one the spec gains.
  const madeUp = { id: 'readCoreV1NamespacedNoSuchKind', path: '/api/v1/namespaces/{namespace}/nosuchkinds/{name}' };
  const withOperation = (id: string, path: string) => {
    const extra = clone(spec);
    const template = Object.values<any>(extra.paths).find((item) => item.get?.operationId)!.get;
    extra.paths[path] = { get: { ...clone(template), operationId: id } };
    return extra;
  };

  it('reports an operation of the spec that no source declares, saying what to add where and what to rerun', () => {
    const { uncovered, uncoveredHelp } = checkSources({ sourceDir, spec: withOperation(madeUp.id, madeUp.path) });
    expect(uncovered).toEqual([`${madeUp.id} (GET ${madeUp.path})`]);
    expect(uncoveredHelp).toContain(`${madeUp.id} (GET ${madeUp.path}) comes from no source document.`);
    expect(uncoveredHelp).toContain(
      `as spec/source/upstream/<extract>.json, listed under documents: in spec/source/upstream/source.yaml, and "- ${madeUp.id}" under its operations:`,
    );
    expect(uncoveredHelp).toContain('npm run check');
  });

  it('names the one line to add when a source document already describes the operation', () => {
    const upstreamIds = upstream.declaration.kind === 'kubernetes-swagger' ? upstream.declaration.operations : [];
    const listed = extract.operations.find((operation) => upstreamIds.includes(operation.operationId))!;
    const copy = mkdtempSync(join(tmpdir(), 'fidelity-sources-'));
    try {
      cpSync(sourceDir, copy, { recursive: true });
      const declaration = join(copy, 'upstream', 'source.yaml');
      const text = readFileSync(declaration, 'utf8');
      writeFileSync(declaration, text.replace(`  - ${listed.operationId}\n`, ''));
      const { uncovered, uncoveredHelp } = checkSources({ sourceDir: copy, spec });
      expect(uncovered).toEqual([`${listed.operationId} (${listed.method.toUpperCase()} ${listed.path})`]);
      expect(uncoveredHelp).toContain(
        `Add "- ${listed.operationId}" under operations: in spec/source/upstream/source.yaml.`,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('applies a shared declaration to every operation that uses the component, and reports it stale when none does', () => {
    const { sources } = checkSources({ sourceDir, spec });
    const k8s = sources.find((source) => source.name === 'upstream')!;
    // One declaration, responses.NotFound, covers the 404 of every operation the swagger gives none.
    const notFound = k8s.findings.filter((finding) => finding.field === 'responses.NotFound');
    expect(notFound.length).toBe(k8s.operationIds.length);
    expect(k8s.sharedUsed).toContain('responses.NotFound added');
    const without410 = clone(spec);
    for (const item of Object.values<any>(without410.paths))
      for (const operation of Object.values<any>(item)) delete operation?.responses?.['410'];
    expect(checkSources({ sourceDir, spec: without410 }).shared.problems).toEqual([
      'stale declaration in shared-deviations.yaml: responses.Gone added differs from no source',
    ]);
  });

  it('refuses a difference declared both in a source and in the shared declarations', () => {
    const twice = [
      ...upstream.deviations,
      loadSharedDeviations(sourceDir).find((d) => d.field === 'responses.NotFound')!,
    ];
    const report = checkKubernetesSwagger({
      extract,
      operations: upstream.declaration.kind === 'kubernetes-swagger' ? upstream.declaration.operations : [],
      mediaTypes: (upstream.declaration as any).mediaTypes,
      spec,
      deviations: twice,
      shared: loadSharedDeviations(sourceDir),
    });
    expect(report.problems).toContain(
      'responses.NotFound added is declared in deviations.yaml and in shared-deviations.yaml: keep one',
    );
  });

  it('gives every declaration a field, an aspect, the spec value and a reason', () => {
    const declarations = [
      ...loadAllSources().flatMap((source) => source.deviations.map((deviation) => [source.name, deviation] as const)),
      ...loadSharedDeviations(sourceDir).map((deviation) => ['shared', deviation] as const),
    ];
    expect(declarations.length).toBeGreaterThan(0);
    for (const [name, deviation] of declarations) {
      expect(deviation, `${name}: ${JSON.stringify(deviation)}`).toMatchObject({
        field: expect.any(String),
        aspect: expect.any(String),
        spec: expect.any(String),
        why: expect.stringMatching(/\S{3,}/),
      });
    }
  });
});

describe('the CCI page (as parsed)', () => {
  it('has the 14 tables with 64 rows, 14 status codes and a response example', () => {
    expect(page.tables.map((table) => table.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(page.tables.reduce((sum, table) => sum + table.rows.length, 0)).toBe(64);
    expect(page.statusCodes.map((entry) => entry.code)).toEqual([
      200, 400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 503, 504,
    ]);
    expect(page.responseExample).toMatchObject({
      kind: 'Service',
      metadata: { name: 'redis', namespace: 'namespace-test' },
    });
    expect(page.method).toBe('GET');
    expect(page.path).toBe('/api/v1/namespaces/{namespace}/services/{name}/status');
    expect(page.updated).toBe('2023-12-01');
  });

  it('keeps multi-paragraph descriptions whole', () => {
    const objectMeta = page.tables.find((table) => table.title.endsWith('.ObjectMeta'))!;
    const uid = objectMeta.rows.find((row) => row.name === 'uid')!;
    expect(uid.description).toMatch(/^UID is the unique in time.*\n\nPopulated by the system\. Read-only\./s);
  });
});

describe('the spec against the CCI page', () => {
  it('matches tables by their titles, not their numbers', () => {
    // The same page with its tables renumbered in reverse: nothing may change.
    const renumbered = {
      ...clone(page),
      tables: clone(page.tables).map((table, index, all) => ({ ...table, number: all.length - index })),
    };
    const report = checkPage(spec, renumbered);
    expect(report.problems).toEqual([]);
    expect(report.rows).toEqual({ matched: 64, total: 64 });
  });

  it('parses a page whose schema tables come in another order the same way', () => {
    const text = `GET /api/v1/namespaces/{namespace}/services/{name}/status\n\n表2 io.k8s.api.core.v1.ClientIPConfig\n\ntimeoutSeconds\n\nInteger\n\nSeconds.\n\n表1 路径参数\n\nname\n\nString\n\nthe name\n\n状态码\n\n200\n\nOK\n`;
    const parsed = parseSourcePage(text);
    expect(parsed.tables.map((table) => [table.number, table.title, table.rows.map((row) => row.name)])).toEqual([
      [2, 'io.k8s.api.core.v1.ClientIPConfig', ['timeoutSeconds']],
      [1, '路径参数', ['name']],
    ]);
  });

  // The checker must be able to fail: each mutation below is a real mistake a spec change could make.
  it('reports a row that is missing from the spec, naming table and row', () => {
    const broken = clone(spec);
    delete broken.components.schemas.LoadBalancerIngress.properties.hostname;
    const report = checkPage(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^table 14 \(io\.k8s\.api\.core\.v1\.LoadBalancerIngress\), row "hostname".*not found in the spec/,
      ),
    );
    expect(report.rows.matched).toBe(63);
  });

  it('reports an undeclared type change', () => {
    const broken = clone(spec);
    broken.components.schemas.ServicePort.properties.nodePort.format = 'int64';
    const report = checkPage(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /table 9 .*row "nodePort".*undeclared type difference — source says "Integer", spec says "Long"/,
      ),
    );
  });

  it('reports a description that drifted from the page', () => {
    const broken = clone(spec);
    broken.components.schemas.ServiceSpec.properties.clusterIP.description = 'The IP of the service.';
    const report = checkPage(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(/ServiceSpec\.clusterIP: undeclared description difference/),
    );
  });

  it('reports an undeclared refinement and an undeclared addition', () => {
    const broken = clone(spec);
    broken.components.schemas.ServiceSpec.properties.externalTrafficPolicy.enum = ['Cluster', 'Local'];
    broken.components.schemas.ServiceSpec.properties.healthCheckNodePorts = { type: 'integer' };
    const report = checkPage(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(/ServiceSpec\.externalTrafficPolicy: undeclared enum difference/),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(/ServiceSpec\.healthCheckNodePorts: undeclared added difference/),
    );
  });

  it('does not count schemas that only other operations reach as additions to the page', () => {
    const report = checkPage(spec);
    expect(report.findings.map((finding) => finding.field)).not.toContain('ServiceList');
    expect(report.findings.map((finding) => finding.field)).not.toContain('WatchEvent');
  });

  it('reports a stale declaration once the spec follows the page again', () => {
    const reverted = clone(spec);
    delete reverted.components.schemas.ManagedFieldsEntry.properties.time.format;
    const report = checkPage(reverted);
    expect(report.problems).toContain(
      'stale declaration in deviations.yaml: ManagedFieldsEntry.time format no longer differs from the source',
    );
  });

  it('reports a declaration whose spec value no longer matches', () => {
    const changed = clone(spec);
    changed.components.schemas.ClientIPConfig.properties.timeoutSeconds.maximum = 3600;
    const report = checkPage(changed);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /ClientIPConfig\.timeoutSeconds: bounds is declared as "exclusiveMinimum: 0, maximum: 86400" but the spec says "exclusiveMinimum: 0, maximum: 3600"/,
      ),
    );
  });

  it('reports a missing status code, a changed status description and a changed example', () => {
    const broken = clone(spec);
    const get = broken.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;
    delete get.responses['429'];
    broken.components.responses.ServerTimeout.description = 'GatewayTimeout';
    broken.components.examples.ServiceRedisClusterIP.value.spec.ports[0].targetPort = '80';
    const report = checkPage(broken);
    expect(report.problems).toContain('status code 429 (TooManyRequests) is not a response of the operation');
    expect(report.problems).toContain('status code 504: description "GatewayTimeout", page says "ServerTimeout"');
    expect(report.problems).toContainEqual(expect.stringMatching(/response example/));
    expect(report.statusCodes.matched).toBe(12);
  });
});

describe('the upstream extract (as parsed)', () => {
  it('has the three Service read operations with their parameters and responses', () => {
    const ids = extract.operations.map((operation) => operation.operationId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'readCoreV1NamespacedService',
        'listCoreV1NamespacedService',
        'listCoreV1ServiceForAllNamespaces',
      ]),
    );
    const list = extract.operations.find((operation) => operation.operationId === 'listCoreV1NamespacedService')!;
    expect(list.parameters.map((parameter) => parameter.name).sort()).toEqual([
      'allowWatchBookmarks',
      'continue',
      'fieldSelector',
      'labelSelector',
      'limit',
      'namespace',
      'pretty',
      'resourceVersion',
      'resourceVersionMatch',
      'timeoutSeconds',
      'watch',
    ]);
    expect(Object.keys(list.responses)).toEqual(['200', '401']);
    expect(list.produces).toContain('application/json;stream=watch');
  });
});

describe('the spec against the upstream extract', () => {
  const list = '/api/v1/namespaces/{namespace}/services';

  it('reports a parameter the spec lost and one whose format changed', () => {
    const broken = clone(spec);
    broken.paths[list].get.parameters = broken.paths[list].get.parameters.filter(
      (p: any) => !p.$ref.endsWith('/fieldSelector'),
    );
    broken.components.parameters.watch.schema = { type: 'string' };
    const report = checkUpstream(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^listCoreV1NamespacedService \(GET \/api\/v1\/namespaces\/\{namespace\}\/services\): parameters\.fieldSelector: undeclared omitted difference/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /parameters\.watch: undeclared type difference — source says "boolean", spec says "string"/,
      ),
    );
    expect(report.parameters.matched).toBeLessThan(report.parameters.total);
    // The two list operations carry the watch parameter; every other operation is still whole.
    expect(report.operations.matched).toBe(report.operations.total - 2);
  });

  it('reports a request body that became optional, lost a media type, or changed its schema', () => {
    // The shared component: one finding key for every operation that takes it.
    const broken = clone(spec);
    const body = broken.components.requestBodies.Service;
    body.required = false;
    delete body.content['application/yaml'];
    body.content['application/json'].schema = { $ref: '#/components/schemas/Status' };
    const report = checkUpstream(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^createCoreV1NamespacedService .*requestBodies\.Service: undeclared required difference — source says "required", spec says "optional"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /requestBodies\.Service: mediaType is declared as "application\/json, application\/yaml" but the spec says "application\/json"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^replaceCoreV1NamespacedService .*requestBodies\.Service application\/json: undeclared ref difference — source says "io\.k8s\.api\.core\.v1\.Service", spec says "io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.Status"/,
      ),
    );
    // An operation's own body is found by the operation, and a missing one too.
    const service = '/api/v1/namespaces/{namespace}/services';
    broken.paths[service].post.requestBody = {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Service' } } },
    };
    expect(checkUpstream(broken).problems).toContainEqual(
      expect.stringMatching(/createCoreV1NamespacedService\.requestBody: undeclared mediaType difference/),
    );
    delete broken.paths[service].post.requestBody;
    expect(checkUpstream(broken).problems).toContainEqual(
      expect.stringMatching(/createCoreV1NamespacedService\.requestBody: undeclared omitted difference/),
    );
  });

  it('reports a required path parameter that became optional', () => {
    const broken = clone(spec);
    broken.components.parameters.namespace.required = false;
    const report = checkUpstream(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /parameters\.namespace: undeclared required difference — source says "required", spec says "optional"/,
      ),
    );
  });

  it("reports a property's format, $ref and required flag, and an enum", () => {
    const broken = clone(spec);
    broken.components.schemas.ListMeta.properties.remainingItemCount.format = 'int32';
    broken.components.schemas.ServiceSpec.properties.sessionAffinityConfig = {
      $ref: '#/components/schemas/ClientIPConfig',
    };
    broken.components.schemas.ServicePort.required = [];
    broken.components.schemas.ServiceSpec.properties.externalTrafficPolicy.enum = ['Cluster', 'Local'];
    const report = checkUpstream(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /ListMeta\.remainingItemCount: undeclared format difference — source says "int64", spec says "int32"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /ServiceSpec\.sessionAffinityConfig: undeclared ref difference — source says "io\.k8s\.api\.core\.v1\.SessionAffinityConfig", spec says "io\.k8s\.api\.core\.v1\.ClientIPConfig"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /ServicePort\.port: undeclared required difference — source says "required", spec says "optional"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(/ServiceSpec\.externalTrafficPolicy: undeclared enum difference/),
    );
    expect(report.properties.matched).toBe(report.properties.total - 4);
  });

  it('reports a lost response code, a lost watch media type and a changed list body', () => {
    const broken = clone(spec);
    delete broken.paths['/api/v1/services'].get.responses['401'];
    broken.paths['/api/v1/services'].get.responses['200'] = clone(broken.components.responses.OK);
    const report = checkUpstream(broken);
    expect(report.problems).toContainEqual(
      expect.stringMatching(/listCoreV1ServiceForAllNamespaces\.responses\.401: undeclared omitted difference/),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /listCoreV1ServiceForAllNamespaces\.responses\.200: undeclared ref difference — source says "io\.k8s\.api\.core\.v1\.ServiceList", spec says "io\.k8s\.api\.core\.v1\.Service"/,
      ),
    );
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /listCoreV1ServiceForAllNamespaces\.responses\.200 application\/json;stream=watch: undeclared omitted difference/,
      ),
    );
    expect(report.responseCodes.matched).toBe(report.responseCodes.total - 1);
  });

  it('reports a declared operation that the spec does not have, and one the document does not have', () => {
    const broken = clone(spec);
    delete broken.paths['/api/v1/services'];
    const report = checkUpstream(broken, [
      'readCoreV1NamespacedService',
      'listCoreV1NamespacedService',
      'listCoreV1ServiceForAllNamespaces',
      'readCoreV1NamespacedServiceStatus',
    ]);
    expect(report.problems).toContain('listCoreV1ServiceForAllNamespaces (GET /api/v1/services): not in the spec');
    expect(report.problems).toContain(
      'the source declares readCoreV1NamespacedServiceStatus, which is not an operation of its document',
    );
    expect(report.operations).toEqual({ matched: 2, total: 4 });
  });

  it('reports stale declarations when an operation leaves the source declaration', () => {
    // Only the read: the write operations' own declarations (their request bodies' media types) go stale.
    const report = checkUpstream(spec, ['readCoreV1NamespacedService']);
    expect(report.problems).toContain(
      'stale declaration in deviations.yaml: requestBodies.Service mediaType no longer differs from the source',
    );
  });
});
