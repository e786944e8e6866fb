# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
# kubectl 1.24 and later patch the status subresource directly:
kubectl patch service redis -n namespace-test --subresource=status --type merge \
  -p '{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100"}]}}}'
# Older kubectl: through `kubectl proxy`, which signs in as kubectl does.
kubectl proxy --port=8001 & PROXY=$!
sleep 1
curl -sS -X PATCH "http://127.0.0.1:8001/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/merge-patch+json' \
  --data-binary '{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100"}]}}}'
kill "${PROXY}"
