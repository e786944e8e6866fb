// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

// Across all namespaces: a CCE cluster's kube-apiserver serves this; CCI (one shared cluster per
// region) refuses it with 403. A bearer token of the cluster's kubeconfig user (or use
// createCciClientFromKubeconfig from '@cci-openapi/client/node' with the kubeconfig itself).
const client = createCciClient({
  baseUrl: 'https://192.168.0.10:5443',
  bearerToken: process.env.CCE_CLUSTER_TOKEN ?? '',
});

// Every LoadBalancer Service of the CCE cluster, with its ingress addresses.
const list = await client.listCoreV1ServiceForAllNamespaces({
  fieldSelector: 'metadata.namespace!=kube-system',
});
for (const service of list.items) {
  if (service.spec.type !== 'LoadBalancer') continue;
  const addresses = (service.status.loadBalancer?.ingress ?? []).map((ingress) => ingress.ip ?? ingress.hostname);
  console.log(`${service.metadata.namespace}/${service.metadata.name}`, addresses.join(', ') || '(pending)');
}
