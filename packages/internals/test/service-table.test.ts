// kubectl's Service columns. The cases are kube-apiserver 1.20's own printer tests
// (TestPrintService, TestHumanDuration, TestHumanDurationBoundaries), carried over value by value,
// plus the rules those tests leave out (truncation, sorting, defaults).
import type { Service } from '@cci-openapi/types';
import { describe, expect, it } from 'vitest';
import { humanDuration, SERVICE_TABLE_COLUMNS, serviceTableRow } from '../src/service-table.js';

const svc = (
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec, status }) as unknown as Service;
const narrow = { now: 0, wide: false };
const wide = { now: 0, wide: true };

describe('serviceTableRow: kube-apiserver TestPrintService', () => {
  const tcp2233 = { ports: [{ protocol: 'tcp', port: 2233 }], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } };
  it.each([
    [
      'cluster IP and port; selector only when wide',
      svc('test1', { type: 'ClusterIP', ...tcp2233 }),
      narrow,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>'],
    ],
    [
      'wide adds the selector',
      svc('test1', { type: 'ClusterIP', ...tcp2233 }),
      wide,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>', 'foo=bar'],
    ],
    [
      'NodePort',
      svc('test2', {
        type: 'NodePort',
        ports: [{ protocol: 'tcp', port: 8888, nodePort: 9999 }],
        clusterIPs: ['10.9.8.7'],
      }),
      narrow,
      ['test2', 'NodePort', '10.9.8.7', '<none>', '8888:9999/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer, pending',
      svc('test3', { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIPs: ['10.9.8.7'] }),
      narrow,
      ['test3', 'LoadBalancer', '10.9.8.7', '<pending>', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer, external IP and no status',
      svc('test4', {
        type: 'LoadBalancer',
        ports: [{ protocol: 'tcp', port: 8888 }],
        clusterIPs: ['10.9.8.7'],
        externalIPs: ['80.11.12.10'],
      }),
      narrow,
      ['test4', 'LoadBalancer', '10.9.8.7', '80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer, ingress IP (over its hostname) then external IP',
      svc(
        'test5',
        {
          type: 'LoadBalancer',
          ports: [{ protocol: 'tcp', port: 8888 }],
          clusterIPs: ['10.9.8.7'],
          externalIPs: ['80.11.12.10'],
        },
        { loadBalancer: { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }] } },
      ),
      narrow,
      ['test5', 'LoadBalancer', '10.9.8.7', '3.4.5.6,80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer, several of each (no truncation once external IPs are added)',
      svc(
        'test6',
        {
          type: 'LoadBalancer',
          ports: [{ protocol: 'tcp', port: 8888 }],
          clusterIPs: ['10.9.8.7'],
          externalIPs: ['80.11.12.10', '80.11.12.11'],
        },
        {
          loadBalancer: {
            ingress: [
              { ip: '2.3.4.5', hostname: 'test.cluster.local' },
              { ip: '3.4.5.6', hostname: 'test.cluster.com' },
            ],
          },
        },
      ),
      narrow,
      ['test6', 'LoadBalancer', '10.9.8.7', '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11', '8888/tcp', '<unknown>'],
    ],
    [
      'ExternalName',
      svc('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      narrow,
      ['test7', 'ExternalName', '<none>', 'my.database.example.com', '<none>', '<unknown>'],
    ],
  ])('%s', (_label, service, options, cells) => {
    expect(serviceTableRow(service, options)).toEqual(cells);
  });
});

describe('serviceTableRow: the rest of the printer rules', () => {
  const lb = (ingress: unknown[]) =>
    svc(
      'web',
      {
        type: 'LoadBalancer',
        clusterIP: '10.0.0.1',
        ports: [
          { port: 80, protocol: 'TCP', nodePort: 30080 },
          { port: 443, protocol: 'TCP' },
        ],
      },
      { loadBalancer: { ingress } },
    );

  it('load-balancer addresses are distinct and sorted, hostnames when there is no IP, cut to 16 characters unless wide', () => {
    const service = lb([
      { ip: '192.168.100.20' },
      { hostname: 'lb.example.com' },
      { ip: '10.1.1.1' },
      { ip: '192.168.100.20' },
    ]);
    expect(serviceTableRow(service, wide)[3]).toBe('10.1.1.1,192.168.100.20,lb.example.com');
    expect(serviceTableRow(service, narrow)[3]).toBe('10.1.1.1,192....');
    expect(serviceTableRow(lb([{ ip: '120.46.140.170' }]), narrow)[3]).toBe('120.46.140.170');
  });

  it('ports join with commas, node ports after a colon; protocol defaults to TCP as the server defaults it', () => {
    expect(serviceTableRow(lb([]), narrow)[4]).toBe('80:30080/TCP,443/TCP');
    expect(serviceTableRow(svc('dns', { ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }), narrow)[4]).toBe(
      '53/UDP,53/TCP',
    );
  });

  it('the first of clusterIPs, else clusterIP; "None" for a headless Service; type defaults to ClusterIP', () => {
    expect(
      serviceTableRow(svc('a', { clusterIP: '10.0.0.9', clusterIPs: ['fd00::9', '10.0.0.9'] }), narrow).slice(1, 3),
    ).toEqual(['ClusterIP', 'fd00::9']);
    expect(serviceTableRow(svc('b', { clusterIP: '10.0.0.9' }), narrow)[2]).toBe('10.0.0.9');
    expect(serviceTableRow(svc('c', { clusterIP: 'None', clusterIPs: ['None'] }), narrow)[2]).toBe('None');
    expect(serviceTableRow(svc('d', { clusterIP: '' }), narrow)[2]).toBe('<none>');
  });

  it('external IPs of ClusterIP and NodePort Services; <unknown> for an unknown type', () => {
    expect(serviceTableRow(svc('e', { type: 'NodePort', externalIPs: ['1.1.1.1', '2.2.2.2'] }), narrow)[3]).toBe(
      '1.1.1.1,2.2.2.2',
    );
    expect(serviceTableRow(svc('f', { type: 'Bogus' }), narrow)[3]).toBe('<unknown>');
  });

  it('selector pairs sorted as "key=value" strings; none is <none>', () => {
    expect(serviceTableRow(svc('g', { selector: { b: '1', a: '2', 'a.b': '0' } }), wide)[6]).toBe('a.b=0,a=2,b=1');
    expect(serviceTableRow(svc('h', {}), wide)[6]).toBe('<none>');
  });

  it('AGE counts from creationTimestamp to now', () => {
    const created = Date.parse('2026-01-01T00:00:00Z');
    const aged = svc('i', {}, {}, { creationTimestamp: '2026-01-01T00:00:00Z' });
    expect(serviceTableRow(aged, { now: created + 3 * 86_400_000 + 4 * 3_600_000, wide: false })[5]).toBe('3d4h');
    expect(serviceTableRow(aged, { now: created - 5_000, wide: false })[5]).toBe('<invalid>');
  });

  it('a sparse Service (no spec, no status) still gives a full row', () => {
    expect(serviceTableRow({ metadata: { name: 'bare' } } as unknown as Service, wide)).toEqual([
      'bare',
      'ClusterIP',
      '<none>',
      '<none>',
      '<none>',
      '<unknown>',
      '<none>',
    ]);
  });

  it('the column definitions are kube-apiserver’s: names, types, the name format and SELECTOR at priority 1', () => {
    expect(SERVICE_TABLE_COLUMNS.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Type', 'string', '', 0],
      ['Cluster-IP', 'string', '', 0],
      ['External-IP', 'string', '', 0],
      ['Port(s)', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['Selector', 'string', '', 1],
    ]);
    expect(SERVICE_TABLE_COLUMNS[0]!.description).toMatch(/^Name must be unique within a namespace\./);
    expect(SERVICE_TABLE_COLUMNS[5]!.description).toMatch(/^CreationTimestamp is a timestamp/);
  });
});

describe('humanDuration: apimachinery TestHumanDuration and TestHumanDurationBoundaries', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [s, '1s'],
    [70 * s, '70s'],
    [190 * s, '3m10s'],
    [70 * m, '70m'],
    [47 * h, '47h'],
    [49 * h, '2d1h'],
    [(8 * 24 + 2) * h, '8d'],
    [367 * d, '367d'],
    [(365 * 2 * 24 + 25) * h, '2y1d'],
    [(365 * 8 * 24 + 2) * h, '8y'],
    [-2 * s, '<invalid>'],
    [-2 * s + 1, '0s'],
    [0, '0s'],
    [s - 1, '0s'],
    [2 * m - 1, '119s'],
    [2 * m, '2m'],
    [2 * m + s, '2m1s'],
    [10 * m - 1, '9m59s'],
    [10 * m, '10m'],
    [10 * m + s, '10m'],
    [3 * h - 1, '179m'],
    [3 * h, '3h'],
    [3 * h + m, '3h1m'],
    [8 * h - 1, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 59 * m, '8h'],
    [2 * d - 1, '47h'],
    [2 * d, '2d'],
    [2 * d + h, '2d1h'],
    [8 * d - 1, '7d23h'],
    [8 * d, '8d'],
    [8 * d + 23 * h, '8d'],
    [2 * 365 * d - 1, '729d'],
    [2 * 365 * d, '2y'],
    [2 * 365 * d + 23 * h, '2y'],
    [2 * 365 * d + 23 * h + 59 * m, '2y'],
    [2 * 365 * d + d - 1, '2y'],
    [2 * 365 * d + d, '2y1d'],
    [3 * 365 * d, '3y'],
    [7 * 365 * d, '7y'],
    [8 * 365 * d - 1, '7y364d'],
    [8 * 365 * d, '8y'],
    [8 * 365 * d + 364 * d, '8y'],
    [9 * 365 * d, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
