// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

// Through the CCI API gateway. The token is an IAM user token: the
// X-Subject-Token header of IAM's POST /v3/auth/tokens (valid 24 h).
const client = createCciClient({
  region: 'cn-north-4',
  token: process.env.CCI_TOKEN,
});

// The Services labelled app=web, 50 per page: follow metadata.continue to the end.
let pageToken: string | undefined;
do {
  const page = await client.listCoreV1NamespacedService({
    namespace: 'namespace-test',
    labelSelector: 'app=web',
    limit: 50,
    ...(pageToken ? { continue: pageToken } : {}),
  });
  for (const service of page.items) {
    console.log(service.metadata.name, service.spec.type, service.status.loadBalancer?.ingress?.[0]?.ip ?? '-');
  }
  pageToken = page.metadata.continue || undefined;
} while (pageToken);
