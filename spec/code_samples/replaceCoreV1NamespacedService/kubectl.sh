# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
# Read the Service, change the copy (here: add the label tier=cache, locally), replace it. The copy
# keeps the resourceVersion read: a write by someone else in between is refused (409 Conflict).
kubectl get service redis -n namespace-test -o json \
  | kubectl label --local -f - tier=cache --overwrite -o json > service.json
kubectl replace -f service.json
