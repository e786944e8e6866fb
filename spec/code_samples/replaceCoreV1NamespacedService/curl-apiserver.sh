# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
# Read the Service and change it (here with jq: add the label tier=cache); its resourceVersion
# stays in the body, so a write by someone else in between is a 409 Conflict.
curl -sS --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis" \
  | jq '.metadata.labels.tier = "cache"' > service.json
curl -sS -X PUT --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/json' --data-binary @service.json
