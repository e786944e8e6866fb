# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by `cci-iam-authenticator generate-kubeconfig` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
# A JSON merge patch: add the label tier=cache, remove the label legacy.
kubectl patch service redis -n namespace-test --type merge -p '{"metadata":{"labels":{"tier":"cache","legacy":null}}}'
# A JSON Patch: check sessionAffinity is None, then switch it to ClientIP (all or nothing).
kubectl patch service redis -n namespace-test --type json \
  -p '[{"op":"test","path":"/spec/sessionAffinity","value":"None"},{"op":"replace","path":"/spec/sessionAffinity","value":"ClientIP"}]'
# A strategic merge patch (kubectl's default): ports merge by port number, so this adds one.
kubectl patch service redis -n namespace-test --type strategic -p '{"spec":{"ports":[{"name":"metrics","port":9121,"targetPort":9121}]}}'
# Server-side apply as the field manager deploy-tool (creates the Service when it does not exist).
cat > service.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: redis
  namespace: namespace-test
  labels:
    app: redis
spec:
  selector:
    app: redis
  ports:
    - name: redis
      port: 6379
      protocol: TCP
      targetPort: 6379
YAML
kubectl apply --server-side --field-manager=deploy-tool -f service.yaml
