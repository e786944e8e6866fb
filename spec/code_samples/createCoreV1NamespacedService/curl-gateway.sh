# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \
  -H 'Content-Type: application/json' -d @auth-request.json \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')

# 2. The Service to create: a ClusterIP Service for the pods labelled app=web.
cat > service.json <<'JSON'
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": { "name": "web", "namespace": "namespace-test", "labels": { "app": "web" } },
  "spec": { "selector": { "app": "web" }, "ports": [{ "name": "http", "port": 80, "targetPort": 8080 }] }
}
JSON

# 3. Create it: 201 Created with the stored Service (409 AlreadyExists when the name is taken).
#    Add dryRun=All to the query to have it checked without storing it.
curl -sS -X POST "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/services?fieldManager=deploy-tool" \
  -H 'Content-Type: application/json' --data-binary @service.json \
  -H "X-Auth-Token: ${TOKEN}"
