# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
# The answer is a Status, "status": "Success" (404 when there is none). A DeleteOptions body
# (Content-Type: application/json) can add preconditions: {"uid": …, "resourceVersion": …}.
curl -sS -X DELETE --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis"
