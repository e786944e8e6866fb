// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

const service = await client.readCoreV1NamespacedService({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(service.metadata.name, service.spec.type, service.spec.clusterIP);
for (const port of service.spec.ports ?? []) console.log(`${port.port}/${port.protocol ?? 'TCP'} → ${port.targetPort}`);
