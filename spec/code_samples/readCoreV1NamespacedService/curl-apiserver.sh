# Directly against the cluster's kube-apiserver, with the certificate from kubeconfig.json.
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
curl -sS --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis"
