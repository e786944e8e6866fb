// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

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
