# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. The uid of the Service you mean (here with jq), for the precondition below.
SERVICE_UID=$(curl -sS "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis" \
  -H "X-Auth-Token: ${TOKEN}" | jq -r .metadata.uid)

# 3. Delete it only if it is still that one (a Service recreated in between is a 409 Conflict).
#    The answer is a Status, "status": "Success". Without the body, the delete is unconditional.
curl -sS -X DELETE "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services/redis" \
  -H 'Content-Type: application/json' \
  --data-binary "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":{\"uid\":\"${SERVICE_UID}\"}}" \
  -H "X-Auth-Token: ${TOKEN}"
