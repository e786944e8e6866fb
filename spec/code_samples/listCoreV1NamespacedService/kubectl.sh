# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
kubectl get services -n namespace-test -l app=web --chunk-size=50
# Watch for changes:
kubectl get services -n namespace-test -l app=web --watch
