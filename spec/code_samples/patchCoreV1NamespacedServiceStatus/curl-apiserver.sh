# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
# A JSON merge patch of the status: set the load balancer's ingress points.
curl -sS -X PATCH --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/merge-patch+json' \
  --data-binary '{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100"}]}}}'

# A strategic merge patch does the same here (ingress points have no merge key: the list is replaced).
curl -sS -X PATCH --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/strategic-merge-patch+json' \
  --data-binary '{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.101"}]}}}'
