// The real bundle of this repository, loaded both ways, and the validator over it.
import { describe, expect, it } from 'vitest';
import {
  createSpecValidator,
  examplesOf,
  loadBundledSpec,
  readSpec,
  specDistPath,
  typesBundlePath,
} from '@cci-openapi/spec-kit';

describe('the bundle', () => {
  it('loads the types package copy once per process', () => {
    const spec = loadBundledSpec();
    expect(spec.openapi).toBe('3.1.0');
    expect(loadBundledSpec('types')).toBe(spec);
    expect(typesBundlePath()).toMatch(/openapi\.json$/);
    expect(specDistPath()).toMatch(/spec[/\\]dist[/\\]openapi\.json$/);
  });

  it('says what to do when a bundle is missing', () => {
    expect(() => readSpec('/nonexistent/openapi.json')).toThrow(/cannot be read .*npm run build/);
  });
});

describe('the schema validator', () => {
  const spec = loadBundledSpec();
  const validator = createSpecValidator(spec);

  it('accepts every example of the spec against its schema', () => {
    const examples = [...examplesOf(spec)];
    expect(examples.length).toBeGreaterThan(10);
    for (const example of examples)
      expect(validator.validate(example.schemaPointer, example.value), example.where).toEqual([]);
  });

  it('names the place and the rule of a violation', () => {
    const service = structuredClone(spec.components.examples.ServiceRedisClusterIP.value);
    service.spec.type = 'Ingress';
    service.metadata.creationTimestamp = 'yesterday';
    const errors = validator.validate('#/components/schemas/Service', service);
    expect(errors).toContain(
      '/spec/type must be equal to one of the allowed values: ExternalName, ClusterIP, NodePort, LoadBalancer',
    );
    expect(errors).toContain('/metadata/creationTimestamp must match format "date-time"');
  });

  it('rejects a Status whose code is not a number', () => {
    expect(
      validator.validate('#/components/schemas/Status', { kind: 'Status', apiVersion: 'v1', code: '404' }).join('\n'),
    ).toMatch(/\/code must be integer/);
  });
});
