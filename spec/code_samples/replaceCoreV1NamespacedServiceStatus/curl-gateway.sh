# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. Read the Service and set its load balancer's ingress points (here with jq); the body keeps
#    the resourceVersion read, so a write in between is a 409 Conflict.
curl -sS "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis/status" \
  -H "X-Auth-Token: ${TOKEN}" \
  | jq '.status.loadBalancer.ingress = [{"ip": "192.168.0.100"}]' > service.json

# 3. Replace the status (only status, labels and annotations of the body are written).
curl -sS -X PUT "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis/status" \
  -H 'Content-Type: application/json' --data-binary @service.json \
  -H "X-Auth-Token: ${TOKEN}"
