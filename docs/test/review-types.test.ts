import { describe, expect, it } from 'vitest';
import { diffTypeMembers, lineDiff, subtreeRoots, typeMembers } from '../../scripts/lib/review-types.mjs';

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

  it('groups added members under the outermost one added: a new operation is one line, with its count', () => {
    expect(
      subtreeRoots([
        'operations.patchX',
        'operations.patchX.requestBody',
        'operations.patchX.requestBody.content',
        'operations.patchX.requestBody.content.application/merge-patch+json',
        'components.schemas.Patch',
        'components.schemas.ServicePort.appProtocol',
      ]),
    ).toEqual([
      { path: 'operations.patchX', members: 3 },
      { path: 'components.schemas.Patch', members: 0 },
      { path: 'components.schemas.ServicePort.appProtocol', members: 0 },
    ]);
  });
});
