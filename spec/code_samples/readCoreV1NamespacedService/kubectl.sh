# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
kubectl get service redis -n namespace-test -o json
# The same request, raw:
kubectl get --raw /api/v1/namespaces/namespace-test/services/redis
