// The text `--help` prints after the options of every command: examples that run as they stand
// (those with `npx`, from the repository root against the local mock), how to sign in, the
// environment, and the exit codes.
import { EXIT_CODES_HELP } from './exit-codes.js';

export const HELP_AFTER_OPTIONS = `
Examples:
  # against the local mock API (npm start prints its URL), from the repository root, signed with
  # the mock's demo access key (fixed values of the local mock, printed by cci-mock)
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc status namespace-test/redis --server http://127.0.0.1:4010
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc get namespace-test/redis -o wide --server http://127.0.0.1:4010
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc list -n namespace-test -l app=redis -o wide --server http://127.0.0.1:4010
  # the same as the mock's demo IAM user (the client asks the mock's IAM for a token)
  $ CCI_IAM_USERNAME=demo-user CCI_IAM_PASSWORD=demo-Passw0rd CCI_IAM_DOMAIN=demo-account CCI_IAM_PROJECT=cn-north-4 CCI_IAM_ENDPOINT=http://127.0.0.1:4010 npx cci-svc status namespace-test/redis --server http://127.0.0.1:4010

  # CCI in a region, signing each request with an access key (AK/SK)
  $ export CCI_REGION=cn-north-4 HUAWEICLOUD_SDK_AK=… HUAWEICLOUD_SDK_SK=…
  $ cci-svc status namespace-test/redis --output yaml

  # a CCE cluster's API server, with the kubeconfig from the CCE console (exec plugins run as kubectl runs them)
  $ cci-svc list -n namespace-test --kubeconfig ~/kubeconfig.json

  # a line per change (ADDED, MODIFIED, DELETED) until Ctrl-C, or for 10 minutes
  $ cci-svc list -n namespace-test --watch --timeout 10m

  # wait until a LoadBalancer Service has its ingress, then print its IP as JSON
  $ cci-svc status namespace-test/web --wait-for-ingress --timeout 5m -o json | jq -r '.status.loadBalancer.ingress[0].ip'

  # create, apply (server-side) and delete the Services of a file; try first with --dry-run=server
  $ cci-svc apply -f web.yaml -n namespace-test --dry-run=server
  $ cci-svc apply -f web.yaml -n namespace-test
  $ cat web.yaml | cci-svc create -f - -n namespace-test -o name
  $ cci-svc delete namespace-test/web

Signing in (environment only: secrets are never flags; set one way):
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   an access key pair: every request is signed (SDK-HMAC-SHA256)
  HUAWEICLOUD_SDK_SECURITY_TOKEN           with a temporary access key
  HUAWEICLOUD_SDK_PROJECT_ID               sent as X-Project-Id
  CCI_IAM_USERNAME, CCI_IAM_PASSWORD, CCI_IAM_DOMAIN
                  an IAM user: a token is asked from IAM (CCI_IAM_PROJECT, CCI_IAM_ENDPOINT optional)
  CCI_TOKEN       an IAM token, sent as X-Auth-Token

Environment:
  CCI_REGION      CCI's region, e.g. cn-north-4: https://cci.{region}.myhuaweicloud.com
  CCI_SERVER      API base URL, as --server (a CCE cluster's API server, the mock)

${EXIT_CODES_HELP}`;
