// Every example in the spec validates against its schema with a real JSON Schema 2020-12 validator.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSpecValidator, examplesOf } from '@cci-openapi/spec-kit';
import { bundleSpec } from './load';

let spec: any;
let validator: ReturnType<typeof createSpecValidator>;
beforeAll(() => {
  spec = bundleSpec();
  validator = createSpecValidator(spec);
});

describe('examples', () => {
  it('every example validates against its schema', () => {
    const examples = [...examplesOf(spec)];
    // The page's 200 example plus one Status example per error status code.
    expect(examples.length).toBeGreaterThanOrEqual(14);
    for (const example of examples) {
      expect(validator.validate(example.schemaPointer, example.value), example.where).toEqual([]);
    }
  });

  it('the page example is a valid Service, targetPort number and all', () => {
    const example = spec.components.examples.ServiceRedisClusterIP.value;
    expect(validator.validate('#/components/schemas/Service', example)).toEqual([]);
    expect(example.spec.ports[0].targetPort).toBe(80);
  });

  // The validator must catch what a broken example looks like.
  it.each([
    ['a port out of range', (s: any) => (s.spec.ports[0].port = 70000), /\/spec\/ports\/0\/port must be <= 65535/],
    [
      'a port without its number',
      (s: any) => delete s.spec.ports[0].port,
      /\/spec\/ports\/0 must have required property 'port'/,
    ],
    [
      'an unknown Service type',
      (s: any) => (s.spec.type = 'Ingress'),
      /\/spec\/type must be equal to one of the allowed values: ExternalName, ClusterIP, NodePort, LoadBalancer/,
    ],
    [
      'a timestamp that is not RFC 3339',
      (s: any) => (s.metadata.creationTimestamp = '04/09/2018'),
      /\/metadata\/creationTimestamp must match format "date-time"/,
    ],
    [
      'targetPort as a boolean',
      (s: any) => (s.spec.ports[0].targetPort = true),
      /\/spec\/ports\/0\/targetPort must be integer,string/,
    ],
    ['a missing status', (s: any) => delete s.status, /must have required property 'status'/],
  ])('catches %s', (_name, breakIt, message) => {
    const broken = structuredClone(spec.components.examples.ServiceRedisClusterIP.value);
    breakIt(broken);
    expect(validator.validate('#/components/schemas/Service', broken).join('\n')).toMatch(message);
  });

  it('accepts fields a newer Kubernetes returns that the page does not list', () => {
    const newer = structuredClone(spec.components.examples.ServiceRedisClusterIP.value);
    Object.assign(newer.spec, {
      ipFamilies: ['IPv4'],
      clusterIPs: ['10.247.212.210'],
      trafficDistribution: 'PreferClose',
    });
    newer.status.conditions = [
      {
        type: 'LoadBalancerReady',
        status: 'True',
        lastTransitionTime: '2024-01-01T00:00:00Z',
        reason: 'Ready',
        message: '',
      },
    ];
    newer.status.loadBalancer = {
      ingress: [{ ip: '192.0.2.11', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP', error: 'PortAllocated' }] }],
    };
    newer.metadata.managedFields = [
      {
        manager: 'cloud-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {},
        subresource: 'status',
      },
    ];
    newer.metadata.someFutureField = { nested: true };
    expect(validator.validate('#/components/schemas/Service', newer)).toEqual([]);
    newer.status.loadBalancer.ingress[0].ports[0].port = '80';
    expect(validator.validate('#/components/schemas/Service', newer).join('\n')).toMatch(
      /\/status\/loadBalancer\/ingress\/0\/ports\/0\/port must be integer/,
    );
  });
});

describe('lists and watch events', () => {
  const list = () => structuredClone(spec.components.examples.ServiceListNamespaceTest.value);

  it('takes list items without apiVersion and kind, as kube-apiserver sends them', () => {
    const example = list();
    expect(example.items.length).toBeGreaterThanOrEqual(2);
    for (const item of example.items) expect(item).not.toHaveProperty('kind');
    expect(validator.validate('#/components/schemas/ServiceList', example)).toEqual([]);
  });

  it.each([
    ['a list without metadata', (l: any) => delete l.metadata, /must have required property 'metadata'/],
    ['an item without spec', (l: any) => delete l.items[0].spec, /\/items\/0 must have required property 'spec'/],
    [
      'remainingItemCount as a string',
      (l: any) => (l.metadata.remainingItemCount = '3'),
      /\/metadata\/remainingItemCount must be integer/,
    ],
  ])('catches %s', (_name, breakIt, message) => {
    const broken = list();
    breakIt(broken);
    expect(validator.validate('#/components/schemas/ServiceList', broken).join('\n')).toMatch(message);
  });

  it('types watch events by their closed set of event types', () => {
    const event = structuredClone(spec.components.examples.WatchEventServiceModified.value);
    expect(validator.validate('#/components/schemas/WatchEvent', event)).toEqual([]);
    // A bookmark's object is a near-empty Service; an error's is a Status: both are events.
    expect(
      validator.validate('#/components/schemas/WatchEvent', {
        type: 'BOOKMARK',
        object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: '12746' } },
      }),
    ).toEqual([]);
    expect(validator.validate('#/components/schemas/WatchEvent', { type: 'CHANGED', object: {} }).join('\n')).toMatch(
      /\/type must be equal to one of the allowed values: ADDED, MODIFIED, DELETED, BOOKMARK, ERROR/,
    );
  });

  it('declares the watch stream on both list operations', () => {
    for (const path of ['/api/v1/namespaces/{namespace}/services', '/api/v1/services']) {
      const ok = spec.paths[path].get.responses['200'];
      const response = spec.components.responses[ok.$ref.split('/').pop()];
      expect(Object.keys(response.content), path).toEqual(['application/json', 'application/json;stream=watch']);
      expect(response.content['application/json;stream=watch'].schema.$ref).toBe('#/components/schemas/WatchEvent');
    }
  });
});

describe('name and namespace parameters', () => {
  // kube-apiserver's IsValidPathSegmentName: what it answers 400 for must not pass the schema.
  it.each(['name', 'namespace'])('%s follows the path-segment rule', (parameter) => {
    const pointer = `#/components/parameters/${parameter}/schema`;
    for (const good of ['redis', 'web-elb', 'a.b', '...', '.hidden', 'x..y'])
      expect(validator.validate(pointer, good), good).toEqual([]);
    for (const bad of ['.', '..', 'a%b', 'a%2Fb', 'a/b', ''])
      expect(validator.validate(pointer, bad), bad).not.toEqual([]);
  });

  it('documents the 400 answer for an invalid name', () => {
    const example = spec.components.responses.BadRequest.content['application/json'].examples.InvalidName.value;
    expect(example).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    expect(example.message).toMatch(/^Name parameter invalid: /);
  });
});
