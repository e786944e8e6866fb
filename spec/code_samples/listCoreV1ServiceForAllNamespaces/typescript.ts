// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

// Through the CCI API gateway. The token is an IAM user token: the
// X-Subject-Token header of IAM's POST /v3/auth/tokens (valid 24 h).
const client = createCciClient({
  region: 'cn-north-4',
  token: process.env.CCI_TOKEN,
});

// Every LoadBalancer Service of the cluster, with its ingress addresses.
const list = await client.listCoreV1ServiceForAllNamespaces({
  fieldSelector: 'metadata.namespace!=kube-system',
});
for (const service of list.items) {
  if (service.spec.type !== 'LoadBalancer') continue;
  const addresses = (service.status.loadBalancer?.ingress ?? []).map((ingress) => ingress.ip ?? ingress.hostname);
  console.log(`${service.metadata.namespace}/${service.metadata.name}`, addresses.join(', ') || '(pending)');
}
