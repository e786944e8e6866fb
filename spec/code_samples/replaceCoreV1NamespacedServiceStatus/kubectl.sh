# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
# kubectl replace has no status subresource flag: read the status, change it (here with jq), and
# send it to the raw path.
kubectl get --raw /api/v1/namespaces/namespace-test/services/redis/status \
  | jq '.status.loadBalancer.ingress = [{"ip": "192.168.0.100"}]' > service.json
kubectl replace --raw /api/v1/namespaces/namespace-test/services/redis/status -f service.json
