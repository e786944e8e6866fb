# With kubectl and the cluster's kubeconfig.json (CCI console → cluster → Connection Information → kubectl).
export KUBECONFIG=kubeconfig.json
kubectl get --raw /api/v1/namespaces/namespace-test/services/redis/status
