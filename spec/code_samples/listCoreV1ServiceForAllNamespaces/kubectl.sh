# With kubectl and the cluster's kubeconfig.json (CCI console → cluster → Connection Information → kubectl).
export KUBECONFIG=kubeconfig.json
kubectl get services --all-namespaces --field-selector metadata.namespace!=kube-system
