# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
# A JSON merge patch: add the label tier=cache, remove the label legacy. The Content-Type names
# the format: application/json-patch+json, application/merge-patch+json,
# application/strategic-merge-patch+json, or application/apply-patch+yaml (with ?fieldManager=…).
curl -sS -X PATCH --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/merge-patch+json' \
  --data-binary '{"metadata":{"labels":{"tier":"cache","legacy":null}}}'

# A strategic merge patch: ports merge by port number, so this adds one and keeps the others.
curl -sS -X PATCH --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/strategic-merge-patch+json' \
  --data-binary '{"spec":{"ports":[{"name":"metrics","port":9121,"targetPort":9121}]}}'
