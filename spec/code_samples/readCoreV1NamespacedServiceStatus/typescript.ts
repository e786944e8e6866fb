// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

// Through the CCI API gateway. The token is an IAM user token: the
// X-Subject-Token header of IAM's POST /v3/auth/tokens (valid 24 h).
const client = createCciClient({
  region: 'cn-north-4',
  token: process.env.CCI_TOKEN,
});

// client.readServiceStatus({ … }) is the same call by its short name.
const service = await client.readCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(service.spec?.clusterIP);
console.log(service.status?.loadBalancer?.ingress ?? []);
