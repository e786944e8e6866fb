# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. List the Services labelled app=web, 50 per page (pass metadata.continue back as continue=…).
curl -sS -G "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services" \
  --data-urlencode 'labelSelector=app=web' --data-urlencode 'limit=50' \
  -H "X-Auth-Token: ${TOKEN}"
