# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. A JSON merge patch of the status: set the load balancer's ingress points.
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/merge-patch+json' \
  --data-binary '{"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100"}]}}}' \
  -H "X-Auth-Token: ${TOKEN}"

# Server-side apply of the status, as the field manager lb-controller (fieldManager is required).
cat > service-status.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: redis
  namespace: namespace-test
status:
  loadBalancer:
    ingress:
      - ip: 192.168.0.100
YAML
curl -sS -X PATCH "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis/status?fieldManager=lb-controller" \
  -H 'Content-Type: application/apply-patch+yaml' --data-binary @service-status.yaml \
  -H "X-Auth-Token: ${TOKEN}"
