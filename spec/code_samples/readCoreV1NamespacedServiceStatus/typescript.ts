// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// client.readServiceStatus({ … }) is the same call by its short name.
const service = await client.readCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(service.spec?.clusterIP);
console.log(service.status?.loadBalancer?.ingress ?? []);
