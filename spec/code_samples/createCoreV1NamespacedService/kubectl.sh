# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
cat > service.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: namespace-test
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
YAML
# Checked by the server first, nothing stored:
kubectl create -f service.yaml --dry-run=server
kubectl create -f service.yaml
