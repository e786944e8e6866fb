// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv, isCciError } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// Delete the Service only if it is still the one read (same uid and resourceVersion): a Service
// changed or recreated in between is a 409 Conflict, and nothing is deleted.
try {
  const service = await client.readCoreV1NamespacedService({ namespace: 'namespace-test', name: 'redis' });
  const status = await client.deleteCoreV1NamespacedService({
    namespace: 'namespace-test',
    name: 'redis',
    body: { preconditions: { uid: service.metadata.uid, resourceVersion: service.metadata.resourceVersion } },
  });
  console.log(status.status, status.details?.name); // Success redis
} catch (error) {
  if (isCciError(error, 'api') && error.status === 404) console.log('already gone');
  else throw error;
}
