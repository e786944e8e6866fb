# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
curl -sS -G --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services" \
  --data-urlencode 'labelSelector=app=web' --data-urlencode 'limit=50'

# Watch them instead: one WatchEvent JSON object per line, for at most 5 minutes.
curl -sS -N -G --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services" \
  --data-urlencode 'labelSelector=app=web' --data-urlencode 'watch=true' --data-urlencode 'timeoutSeconds=300'
