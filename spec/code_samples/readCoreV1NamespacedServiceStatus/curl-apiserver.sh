# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
curl -sS --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis/status"
