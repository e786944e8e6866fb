// Fixtures: the packaged ones cover every kind of Service and match the spec; bad ones are refused
// at load with an error naming the file and the item.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { defaultFixturesPath, FixtureError, loadFixtures, startMockServer } from '../src/index.js';
import { request, statusPath } from './helpers/http.js';
import { serviceProblems, spec } from './helpers/spec.js';

const scratch = mkdtempSync(join(tmpdir(), 'cci-mock-fixtures-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

const redis = spec.components.examples.ServiceRedisClusterIP.value;

describe('the packaged fixtures', () => {
  const services = loadFixtures();

  it('are all valid against the spec’s Service schema', () => {
    expect(services).toHaveLength(5);
    for (const service of services) expect(serviceProblems(service), service.metadata.name).toEqual([]);
  });

  it('take the page’s example from the spec’s named example, not from a copy', () => {
    expect(YAML.parse(readFileSync(defaultFixturesPath, 'utf8')).items[0]).toEqual({
      $ref: '#/components/examples/ServiceRedisClusterIP/value',
    });
    expect(services[0]).toEqual(redis);
  });

  it('cover ClusterIP, NodePort, LoadBalancer with ip and hostname ingress, headless and ExternalName', () => {
    const byName = new Map(services.map((s) => [s.metadata.name, s]));
    expect(byName.get('redis')?.spec.type).toBe('ClusterIP');
    expect(byName.get('web-nodeport')?.spec.ports?.[0]?.nodePort).toBe(30080);
    const elb = byName.get('web-elb');
    expect(elb?.spec.type).toBe('LoadBalancer');
    expect(elb?.status.loadBalancer?.ingress).toEqual([
      { ip: '192.0.2.10' },
      { hostname: 'web-elb.namespace-test.elb.example.com' },
    ]);
    expect(byName.get('redis-headless')?.spec.clusterIP).toBe('None');
    expect(byName.get('external-db')?.spec).toMatchObject({ type: 'ExternalName', externalName: 'db.example.com' });
  });
});

describe('loading fixtures', () => {
  const other = {
    ...structuredClone(redis),
    metadata: { ...structuredClone(redis.metadata), name: 'cache', namespace: 'team-a' },
  };

  it('reads a JSON array', () => {
    expect(loadFixtures(write('a.json', JSON.stringify([other])))).toEqual([other]);
  });

  it('reads a Kubernetes List in JSON', () => {
    expect(
      loadFixtures(write('list.json', JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [other] }))),
    ).toEqual([other]);
  });

  it('reads multi-document YAML, one Service per document', () => {
    const path = write('multi.yaml', `${YAML.stringify(redis)}---\n${YAML.stringify(other)}`);
    expect(loadFixtures(path).map((s) => s.metadata.name)).toEqual(['redis', 'cache']);
  });

  it('accepts Services given in code', () => {
    expect(loadFixtures([other])).toEqual([other]);
  });

  it('serves fixtures from a file', async () => {
    const server = await startMockServer({
      port: 0,
      fixtures: write('served.yaml', YAML.stringify({ items: [other] })),
    });
    try {
      expect((await request(server.url + statusPath('team-a', 'cache'))).json).toEqual(other);
      expect((await request(server.url + statusPath('namespace-test', 'redis'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('bad fixtures are refused with an error naming the file and the item', () => {
  const bad = (mutate: (s: any) => void) => {
    const service = structuredClone(redis);
    mutate(service);
    return service;
  };
  it.each([
    [
      'a port that is not a number',
      bad((s) => (s.spec.ports[0].port = 'eighty')),
      /bad\.yaml:\d+ item 1 \(namespace-test\/redis\) is not a valid Service: \/spec\/ports\/0\/port must be integer/,
    ],
    ['a port out of range', bad((s) => (s.spec.ports[0].port = 70000)), /\/spec\/ports\/0\/port must be <= 65535/],
    ['no status', bad((s) => delete s.status), /must have required property 'status'/],
    [
      'an invalid creationTimestamp',
      bad((s) => (s.metadata.creationTimestamp = 'yesterday')),
      /creationTimestamp must match format "date-time"/,
    ],
    [
      'a name that is not a DNS-1035 label',
      bad((s) => (s.metadata.name = 'Redis')),
      /metadata\.name must be a DNS-1035 label, got "Redis"/,
    ],
    ['no namespace', bad((s) => delete s.metadata.namespace), /metadata\.namespace must be a DNS-1123 label/],
    ['a duplicate', redis, /duplicate Service namespace-test\/redis/],
  ])('%s', (_what, second, message) => {
    const path = write('bad.yaml', YAML.stringify([redis, second]));
    expect(() => loadFixtures(path)).toThrow(FixtureError);
    expect(() => loadFixtures(path)).toThrow(message);
  });

  it('a $ref outside the spec’s examples', () => {
    expect(() => loadFixtures(write('ref.yaml', '- $ref: "#/components/schemas/Service"\n'))).toThrow(
      /item 0: \$ref must point into the spec's #\/components\/examples\//,
    );
  });

  it('a $ref that does not resolve', () => {
    expect(() => loadFixtures(write('ref2.yaml', '- $ref: "#/components/examples/Nope/value"\n'))).toThrow(
      /\$ref #\/components\/examples\/Nope\/value does not resolve/,
    );
  });

  it('a file that does not exist, invalid YAML, invalid JSON, a scalar document', () => {
    expect(() => loadFixtures(join(scratch, 'missing.yaml'))).toThrow(/cannot read fixtures file .*missing\.yaml/);
    expect(() => loadFixtures(write('broken.yaml', 'items: [a, b\n'))).toThrow(
      /broken\.yaml:\d+:\d+: invalid YAML \([A-Z_]+\)/,
    );
    expect(() => loadFixtures(write('broken.json', '[{'))).toThrow(/broken\.json(:\d+)?: invalid JSON$/);
    expect(() => loadFixtures(write('scalar.yaml', '42\n'))).toThrow(/scalar\.yaml:1: expected a list of objects/);
  });

  it('startMockServer rejects before listening', async () => {
    await expect(startMockServer({ port: 0, fixtures: [bad((s) => (s.spec.ports = 'none'))] })).rejects.toThrow(
      /fixtures item 0 \(namespace-test\/redis\) is not a valid Service/,
    );
  });
});

describe('fixture errors name the file, line and item, never the text around them', () => {
  it('a .env file given as fixtures: its secrets do not appear in the error', () => {
    const path = write(
      'some.env',
      'DB_USER=admin\nDB_PASSWORD: "hunter2-s3cr3t"\nAPI_TOKEN=tok-9f8e7d6c5b4a\n  EXTRA=x\n',
    );
    let message = '';
    try {
      loadFixtures(path);
    } catch (error) {
      expect(error).toBeInstanceOf(FixtureError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/some\.env:\d+(:\d+)?: /);
    for (const secret of ['hunter2', 's3cr3t', 'tok-9f8e7d6c5b4a', 'DB_PASSWORD', 'admin', 'API_TOKEN'])
      expect(message).not.toContain(secret);
  });

  it('a JSON file with a secret next to the syntax error: position only', () => {
    const path = write('creds.json', '{"password": "hunter2-s3cr3t" "x": 1}');
    expect(() => loadFixtures(path)).toThrow(/creds\.json:1: invalid JSON$/);
  });

  it('an invalid item names its line: the second item of a list', () => {
    const second = structuredClone(redis);
    second.spec.ports[0].port = 0;
    const path = write('lines.yaml', YAML.stringify({ items: [redis, second] }));
    // The line of the second "  - " entry under items.
    const starts = readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((text, index) => (text.startsWith('  - ') ? [index + 1] : []));
    const line = starts[1];
    expect(() => loadFixtures(path)).toThrow(new RegExp(`lines\\.yaml:${line} item 1 \\(namespace-test/redis\\)`));
  });

  it('fixtures are grouped by kind: a folder of files (one per kind) loads every file in it', () => {
    const folder = join(scratch, 'by-kind');
    mkdirSync(folder);
    writeFileSync(join(folder, 'services.yaml'), YAML.stringify({ items: [redis] }));
    writeFileSync(
      join(folder, 'more-services.json'),
      JSON.stringify([{ ...structuredClone(redis), metadata: { ...redis.metadata, name: 'more' } }]),
    );
    writeFileSync(join(folder, 'README.md'), 'not a fixture');
    expect(loadFixtures(folder).map((s) => s.metadata.name)).toEqual(['more', 'redis']);
  });
});
