// The spec against the source page: every row of the 14 tables, every status code, the example,
// and every deliberate difference declared in spec/source/deviations.yaml.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFidelity } from '@cce-openapi/spec-kit';
import { bundleSpec, loadDeviations, loadSourcePage } from './load';

const page = loadSourcePage();
const deviations = loadDeviations();
let spec: any;
beforeAll(() => {
  spec = bundleSpec();
});
const clone = <T>(value: T): T => structuredClone(value);

describe('the source page (as parsed)', () => {
  it('has the 14 tables with 64 rows, 14 status codes and a response example', () => {
    expect(page.tables.map((table) => table.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(page.tables.reduce((sum, table) => sum + table.rows.length, 0)).toBe(64);
    expect(page.statusCodes.map((entry) => entry.code)).toEqual([200, 400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 503, 504]);
    expect(page.responseExample).toMatchObject({ kind: 'Service', metadata: { name: 'redis', namespace: 'namespace-test' } });
    expect(page.method).toBe('GET');
    expect(page.path).toBe('/api/v1/namespaces/{namespace}/services/{name}/status');
    expect(page.updated).toBe('2023-12-01');
  });

  it('keeps multi-paragraph descriptions whole', () => {
    const objectMeta = page.tables.find((table) => table.number === 5)!;
    const uid = objectMeta.rows.find((row) => row.name === 'uid')!;
    expect(uid.description).toMatch(/^UID is the unique in time.*\n\nPopulated by the system\. Read-only\./s);
  });
});

describe('the spec against the page', () => {
  it('matches every row and status code, with every difference declared', () => {
    const report = checkFidelity({ page, spec, deviations });
    console.log(`fidelity: ${report.rows.matched}/${report.rows.total} rows, ${report.statusCodes.matched}/${report.statusCodes.total} status codes, ${deviations.length} declared deviations`);
    expect(report.problems).toEqual([]);
    expect(report.rows).toEqual({ matched: 64, total: 64 });
    expect(report.statusCodes).toEqual({ matched: 14, total: 14 });
    expect(report.example).toBe(true);
  });

  // The checker must be able to fail: each mutation below is a real mistake a spec change could make.
  it('reports a row that is missing from the spec, naming table and row', () => {
    const broken = clone(spec);
    delete broken.components.schemas.LoadBalancerIngress.properties.hostname;
    const report = checkFidelity({ page, spec: broken, deviations });
    expect(report.problems).toContainEqual(expect.stringMatching(/^table 14 .*row "hostname".*not found in the spec/));
    expect(report.rows.matched).toBe(63);
  });

  it('reports an undeclared type change', () => {
    const broken = clone(spec);
    broken.components.schemas.ServicePort.properties.nodePort.format = 'int64';
    const report = checkFidelity({ page, spec: broken, deviations });
    expect(report.problems).toContainEqual(expect.stringMatching(/table 9, row "nodePort".*undeclared type difference — page says "Integer", spec says "Long"/));
  });

  it('reports a description that drifted from the page', () => {
    const broken = clone(spec);
    broken.components.schemas.ServiceSpec.properties.clusterIP.description = 'The IP of the service.';
    const report = checkFidelity({ page, spec: broken, deviations });
    expect(report.problems).toContainEqual(expect.stringMatching(/ServiceSpec\.clusterIP: undeclared description difference/));
  });

  it('reports an undeclared refinement and an undeclared addition', () => {
    const broken = clone(spec);
    broken.components.schemas.ServiceSpec.properties.externalTrafficPolicy.enum = ['Cluster', 'Local'];
    broken.components.schemas.ServiceSpec.properties.trafficDistribution = { type: 'string' };
    const report = checkFidelity({ page, spec: broken, deviations });
    expect(report.problems).toContainEqual(expect.stringMatching(/ServiceSpec\.externalTrafficPolicy: undeclared enum difference/));
    expect(report.problems).toContainEqual(expect.stringMatching(/ServiceSpec\.trafficDistribution: undeclared added difference/));
  });

  it('reports a stale declaration once the spec follows the page again', () => {
    const reverted = clone(spec);
    reverted.components.schemas.ManagedFieldsEntry.properties.time = { ...reverted.components.schemas.ManagedFieldsEntry.properties.time };
    delete reverted.components.schemas.ManagedFieldsEntry.properties.time.format;
    const report = checkFidelity({ page, spec: reverted, deviations });
    expect(report.problems).toContain('stale declaration in deviations.yaml: ManagedFieldsEntry.time format no longer differs from the page');
  });

  it('reports a declaration whose spec value no longer matches', () => {
    const changed = clone(spec);
    changed.components.schemas.ClientIPConfig.properties.timeoutSeconds.maximum = 3600;
    const report = checkFidelity({ page, spec: changed, deviations });
    expect(report.problems).toContainEqual(expect.stringMatching(/ClientIPConfig\.timeoutSeconds: bounds is declared as "exclusiveMinimum: 0, maximum: 86400" but the spec says "exclusiveMinimum: 0, maximum: 3600"/));
  });

  it('reports a missing status code, a changed status description and a changed example', () => {
    const broken = clone(spec);
    const get = broken.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;
    delete get.responses['429'];
    broken.components.responses.ServerTimeout.description = 'GatewayTimeout';
    broken.components.examples.ServiceRedisClusterIP.value.spec.ports[0].targetPort = '80';
    const report = checkFidelity({ page, spec: broken, deviations });
    expect(report.problems).toContain('status code 429 (TooManyRequests) is not a response of the operation');
    expect(report.problems).toContain('status code 504: description "GatewayTimeout", page says "ServerTimeout"');
    expect(report.problems).toContainEqual(expect.stringMatching(/response example/));
    expect(report.statusCodes.matched).toBe(12);
  });
});

describe('deviations.yaml', () => {
  it('gives every declaration a field, an aspect and a reason', () => {
    for (const deviation of deviations) {
      expect(deviation, JSON.stringify(deviation)).toMatchObject({ field: expect.any(String), aspect: expect.any(String), why: expect.stringMatching(/\S{3,}/) });
    }
  });
});
