// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv, isCciError } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

// A ClusterIP Service for the pods labelled app=web: the server fills in the rest (clusterIP,
// targetPort = port, protocol TCP, type ClusterIP, uid, resourceVersion …); apiVersion, kind and
// status may be left out.
try {
  const created = await client.createCoreV1NamespacedService({
    namespace: 'namespace-test',
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'namespace-test', labels: { app: 'web' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    fieldManager: 'deploy-tool',
  });
  console.log(`created ${created.metadata.name}, cluster IP ${created.spec.clusterIP}`);
} catch (error) {
  // 409 AlreadyExists: the name is taken (client.applyService creates or updates instead).
  if (isCciError(error, 'api') && error.status === 409) console.log('web already exists');
  else throw error;
}
