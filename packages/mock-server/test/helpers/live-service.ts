// The stored Service the patch-engine tests patch: two ports, a label, a selector, as a real
// kube-apiserver 1.20 holds it after a create (the tests' expectations were observed on one).
import type { JsonObject } from '../../src/writes/merge/problem.js';

export const liveService = (name: string): JsonObject => ({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name, namespace: 'probe', labels: { a: '1' } },
  spec: {
    ports: [
      { name: 'p80', protocol: 'TCP', port: 80, targetPort: 80 },
      { name: 'p81', protocol: 'TCP', port: 81, targetPort: 81 },
    ],
    selector: { app: 'x' },
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
});
