// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// A JSON merge patch of the status subresource: set the load balancer's ingress points. Changes
// outside status (other than labels and annotations) are ignored.
const patched = await client.patchCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
  contentType: 'application/merge-patch+json',
  body: { status: { loadBalancer: { ingress: [{ ip: '192.168.0.100' }] } } },
});
console.log(patched.status.loadBalancer?.ingress);

// A JSON Patch does the same, all or nothing: here it clears the ingress points again.
await client.patchCoreV1NamespacedServiceStatus({
  namespace: 'namespace-test',
  name: 'redis',
  contentType: 'application/json-patch+json',
  body: [{ op: 'replace', path: '/status/loadBalancer', value: {} }],
});
