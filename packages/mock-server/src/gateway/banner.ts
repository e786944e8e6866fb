// What `cci-mock` prints at start in the `cci` profile: the demo credentials, as lines a shell
// takes as they are (the AK/SK as the environment variables Huawei Cloud's SDKs and this
// repository's client read), and an IAM sign-in to copy. They are fixed values of a local mock.
import { DEMO_ACCESS_KEY, DEMO_IAM_USER, DEMO_TEMPORARY_KEY } from './credentials.js';
import { IAM_TOKENS_PATH } from './iam.js';

/** The sign-in body IAM takes for the demo user (password method, scoped to its project). */
function demoSignInBody(): string {
  const { username, password, domainName, projectName } = DEMO_IAM_USER;
  return JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: username, password, domain: { name: domainName } } },
      },
      scope: { project: { name: projectName } },
    },
  });
}

export function demoCredentialLines(url: string): string[] {
  const user = DEMO_IAM_USER;
  const project = `HUAWEICLOUD_SDK_PROJECT_ID=${user.projectId}`;
  return [
    "profile cci: CCI behind Huawei Cloud's API gateway (IAM tokens, AK/SK signatures, the gateway's errors); --profile kube for a plain kube-apiserver",
    'demo credentials of this local mock (fixed values, not secrets):',
    `  export HUAWEICLOUD_SDK_AK=${DEMO_ACCESS_KEY.ak} HUAWEICLOUD_SDK_SK=${DEMO_ACCESS_KEY.sk} ${project}   # AK/SK`,
    `  export HUAWEICLOUD_SDK_AK=${DEMO_TEMPORARY_KEY.ak} HUAWEICLOUD_SDK_SK=${DEMO_TEMPORARY_KEY.sk} HUAWEICLOUD_SDK_SECURITY_TOKEN=${DEMO_TEMPORARY_KEY.securityToken} ${project}   # temporary AK/SK`,
    `  IAM user: name ${user.username}, password ${user.password}, domain (account) ${user.domainName}, project ${user.projectName} (id ${user.projectId})`,
    `IAM token (the X-Subject-Token header): curl -si -X POST '${url}${IAM_TOKENS_PATH}?nocatalog=true' -H 'Content-Type: application/json' -d '${demoSignInBody()}'`,
  ];
}
