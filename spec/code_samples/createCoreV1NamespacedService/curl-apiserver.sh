# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
cat > service.json <<'JSON'
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": { "name": "web", "namespace": "namespace-test", "labels": { "app": "web" } },
  "spec": { "selector": { "app": "web" }, "ports": [{ "name": "http", "port": 80, "targetPort": 8080 }] }
}
JSON
curl -sS -X POST --cacert ca.crt --cert client.crt --key client.key \
  "https://${APISERVER}:5443/api/v1/namespaces/namespace-test/services?fieldManager=deploy-tool" \
  -H 'Content-Type: application/json' --data-binary @service.json
