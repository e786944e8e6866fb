// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

// Through the CCI API gateway. The token is an IAM user token: the
// X-Subject-Token header of IAM's POST /v3/auth/tokens (valid 24 h).
const client = createCciClient({
  region: 'cn-north-4',
  token: process.env.CCI_TOKEN,
});

const service = await client.readCoreV1NamespacedService({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(service.metadata.name, service.spec.type, service.spec.clusterIP);
for (const port of service.spec.ports ?? []) console.log(`${port.port}/${port.protocol ?? 'TCP'} → ${port.targetPort}`);
