// npm install @cce-openapi/client
import { createCceClient } from '@cce-openapi/client';

// Through the CCE API gateway. The token is an IAM user token: the
// X-Subject-Token header of IAM's POST /v3/auth/tokens (valid 24 h).
const client = createCceClient({
  clusterId: 'your-cluster-id',
  region: 'cn-north-4',
  token: process.env.CCE_TOKEN,
});

// client.readServiceStatus({ … }) is the same call by its short name.
const service = await client.readCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(service.spec?.clusterIP);
console.log(service.status?.loadBalancer?.ingress ?? []);
