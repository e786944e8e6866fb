// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// What a load balancer controller does: read the Service, set its ingress points, replace the
// status. Only status (and labels, annotations) is written; a stale resourceVersion is 409 Conflict.
const current = await client.readCoreV1NamespacedServiceStatus({ namespace: 'namespace-test', name: 'redis' });
const replaced = await client.replaceCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
  body: { ...current, status: { ...current.status, loadBalancer: { ingress: [{ ip: '192.168.0.100' }] } } },
});
console.log(replaced.status.loadBalancer?.ingress);
