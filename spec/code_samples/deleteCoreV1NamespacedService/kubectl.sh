# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
# Checked by the server first, nothing deleted:
kubectl delete service redis -n namespace-test --dry-run=server
kubectl delete service redis -n namespace-test
