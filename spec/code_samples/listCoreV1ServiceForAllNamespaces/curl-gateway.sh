# Through the CCI API gateway, with an IAM token.
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. List the Services of every namespace except kube-system.
curl -sS -G "https://${CLUSTER_ID}.cci.cn-north-4.myhuaweicloud.com/api/v1/services" \
  --data-urlencode 'fieldSelector=metadata.namespace!=kube-system' \
  -H "X-Auth-Token: ${TOKEN}"
