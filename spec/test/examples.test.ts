// Every example in the spec validates against its schema with a real JSON Schema 2020-12 validator.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSpecValidator, examplesOf } from '@cce-openapi/spec-kit';
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
    ['a port without its number', (s: any) => delete s.spec.ports[0].port, /\/spec\/ports\/0 must have required property 'port'/],
    ['an unknown Service type', (s: any) => (s.spec.type = 'Ingress'), /\/spec\/type must be equal to one of the allowed values: ExternalName, ClusterIP, NodePort, LoadBalancer/],
    ['a timestamp that is not RFC 3339', (s: any) => (s.metadata.creationTimestamp = '04/09/2018'), /\/metadata\/creationTimestamp must match format "date-time"/],
    ['targetPort as a boolean', (s: any) => (s.spec.ports[0].targetPort = true), /\/spec\/ports\/0\/targetPort must be integer,string/],
    ['a missing status', (s: any) => delete s.status, /must have required property 'status'/],
  ])('catches %s', (_name, breakIt, message) => {
    const broken = structuredClone(spec.components.examples.ServiceRedisClusterIP.value);
    breakIt(broken);
    expect(validator.validate('#/components/schemas/Service', broken).join('\n')).toMatch(message);
  });

  it('accepts fields a newer Kubernetes returns that the page does not list', () => {
    const newer = structuredClone(spec.components.examples.ServiceRedisClusterIP.value);
    Object.assign(newer.spec, { ipFamilies: ['IPv4'], clusterIPs: ['10.247.212.210'], trafficDistribution: 'PreferClose' });
    newer.status.conditions = [{ type: 'LoadBalancerReady', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'Ready', message: '' }];
    newer.metadata.someFutureField = { nested: true };
    expect(validator.validate('#/components/schemas/Service', newer)).toEqual([]);
  });
});
