import { describe, expect, it } from 'vitest';
import { diffTypeMembers, lineDiff, typeMembers } from '../../scripts/lib/review-types.mjs';

const base = `export interface components {
  schemas: {
    LoadBalancerIngress: { hostname?: string; ip?: string };
    ServicePort: { port: number; targetPort?: number | string };
  };
}
export type Service = components['schemas']['Service'];
`;
const head = `export interface components {
  schemas: {
    LoadBalancerIngress: { ip?: string; zone?: string };
    ServicePort: { port: string; targetPort?: number | string };
  };
}
export type Service = components['schemas']['Service'];
`;

describe('the generated types summary', () => {
  it('names members by path', () => {
    expect(typeMembers(base).get('components.schemas.ServicePort.targetPort')).toBe('?number | string');
  });

  it('lists added, removed and changed members', () => {
    expect(diffTypeMembers(base, head)).toEqual({
      added: ['components.schemas.LoadBalancerIngress.zone'],
      removed: ['components.schemas.LoadBalancerIngress.hostname'],
      changed: [{ path: 'components.schemas.ServicePort.port', base: 'number', head: 'string' }],
    });
  });

  it('counts changed lines with git', () => {
    const { added, removed, unified } = lineDiff(base, head);
    expect([added, removed]).toEqual([2, 2]);
    expect(unified).toContain('+    ServicePort: { port: string; targetPort?: number | string };');
  });
});
