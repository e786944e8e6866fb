# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. A JSON merge patch: add the label tier=cache, remove the label legacy.
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/merge-patch+json' \
  --data-binary '{"metadata":{"labels":{"tier":"cache","legacy":null}}}' \
  -H "X-Auth-Token: ${TOKEN}"

# A JSON Patch: check sessionAffinity is None, then switch it to ClientIP (all or nothing).
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/json-patch+json' \
  --data-binary '[{"op":"test","path":"/spec/sessionAffinity","value":"None"},{"op":"replace","path":"/spec/sessionAffinity","value":"ClientIP"}]' \
  -H "X-Auth-Token: ${TOKEN}"

# A strategic merge patch: ports merge by port number, so this adds one and keeps the others.
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/strategic-merge-patch+json' \
  --data-binary '{"spec":{"ports":[{"name":"metrics","port":9121,"targetPort":9121}]}}' \
  -H "X-Auth-Token: ${TOKEN}"

# Server-side apply: the fields the manager deploy-tool owns, in YAML (fieldManager is required;
# force=true takes over fields another manager owns instead of a 409 Conflict).
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
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis?fieldManager=deploy-tool" \
  -H 'Content-Type: application/apply-patch+yaml' --data-binary @service.yaml \
  -H "X-Auth-Token: ${TOKEN}"
