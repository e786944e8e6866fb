# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
# Read the Service, set its load balancer's ingress points (here with jq), replace the status.
curl -sS --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis/status" \
  | jq '.status.loadBalancer.ingress = [{"ip": "192.168.0.100"}]' > service.json
curl -sS -X PUT --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/json' --data-binary @service.json
