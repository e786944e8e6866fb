// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// Read, change, replace: the body carries the resourceVersion read, so a write by someone else in
// between is refused with 409 Conflict instead of being overwritten.
const current = await client.readCoreV1NamespacedService({ namespace: 'namespace-test', name: 'redis' });
const replaced = await client.replaceCoreV1NamespacedService({
  namespace: 'namespace-test',
  name: 'redis',
  body: { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, tier: 'cache' } } },
  fieldManager: 'deploy-tool',
});
console.log(replaced.metadata.resourceVersion);

// The same change with the 409 handled: updateService reads again and retries on a conflict (as
// client-go's RetryOnConflict), at most 5 times.
const updated = await client.updateService('namespace-test', 'redis', (service) => {
  service.metadata.labels = { ...service.metadata.labels, tier: 'cache' };
});
console.log(updated.metadata.labels);
