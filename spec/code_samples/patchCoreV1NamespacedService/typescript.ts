// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });
const target = { namespace: 'namespace-test', name: 'redis' };

// A JSON merge patch (RFC 7386): add the label tier=cache, remove the label legacy (null removes).
const merged = await client.patchCoreV1NamespacedService({
  ...target,
  contentType: 'application/merge-patch+json',
  body: { metadata: { labels: { tier: 'cache', legacy: null } } },
});
console.log(merged.metadata.labels);

// A JSON Patch (RFC 6902): check sessionAffinity is None, then switch it to ClientIP — all or nothing.
await client.patchCoreV1NamespacedService({
  ...target,
  contentType: 'application/json-patch+json',
  body: [
    { op: 'test', path: '/spec/sessionAffinity', value: 'None' },
    { op: 'replace', path: '/spec/sessionAffinity', value: 'ClientIP' },
  ],
});

// A strategic merge patch: spec.ports merge by port number, so this adds a port and keeps the others.
await client.patchCoreV1NamespacedService({
  ...target,
  contentType: 'application/strategic-merge-patch+json',
  body: { spec: { ports: [{ name: 'metrics', port: 9121, targetPort: 9121 }] } },
});

// Server-side apply (application/apply-patch+yaml): the fields deploy-tool owns; creates the
// Service when it does not exist. applyService says what it did, as kubectl apply does.
const { outcome, service } = await client.applyService(
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'redis', namespace: 'namespace-test', labels: { app: 'redis' } },
    spec: { selector: { app: 'redis' }, ports: [{ name: 'redis', port: 6379, protocol: 'TCP', targetPort: 6379 }] },
  },
  { fieldManager: 'deploy-tool' },
);
console.log(`service/${service.metadata.name} ${outcome}`);
