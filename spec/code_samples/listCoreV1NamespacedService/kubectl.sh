# With kubectl and the cluster's kubeconfig.json (CCI console → cluster → Connection Information → kubectl).
export KUBECONFIG=kubeconfig.json
kubectl get services -n namespace-test -l app=web --chunk-size=50
# Watch for changes:
kubectl get services -n namespace-test -l app=web --watch
