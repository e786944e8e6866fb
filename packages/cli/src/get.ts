// `cci-svc get <namespace>/<name>`: the Service object (readCoreV1NamespacedService), as a kubectl
// row (`kubectl get svc -n <namespace> <name>`), or whole as JSON or YAML.
import type { ConnectionFlags } from './config.js';
import {
  checkTokenLength,
  clientForCommand,
  commandDeadline,
  DEFAULT_REQUEST_TIMEOUT_MS,
  forPeople,
  type CliIo,
} from './command-context.js';
import { UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { renderJson, renderYaml } from './format.js';
import { renderColumns } from './kubectl-table.js';
import type { Redactor } from './redact.js';
import { parseReference } from './reference.js';
import { type ServiceOutputFormat, serviceHeader, serviceRow } from './service-rows.js';

export interface GetFlags extends ConnectionFlags {
  output: ServiceOutputFormat;
  timeout?: number;
  verbose?: boolean;
}

export async function runGet(reference: string, flags: GetFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const write = forPeople(io.stdout, redactor);
  const target = parseReference(reference);
  if ('problem' in target) throw new UsageError(target.problem);
  checkTokenLength(io.env);
  const totalMs = flags.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // <namespace>/<name> names the namespace: a kubeconfig context's namespace does not apply.
  const { client } = await clientForCommand({ flags, io, redactor, totalMs });
  const deadline = commandDeadline(totalMs, `${target.namespace}/${target.name}`);
  try {
    const service = await client.readService({
      namespace: target.namespace,
      name: target.name,
      signal: deadline.signal,
    });
    if (flags.output === 'json') write(renderJson(service));
    else if (flags.output === 'yaml') write(renderYaml(service));
    else {
      const options = { wide: flags.output === 'wide', withNamespace: false, now: Date.now() };
      write(renderColumns([serviceHeader(options), serviceRow(service, options)]));
    }
    return ExitCode.OK;
  } finally {
    deadline.clear();
    await client.close();
  }
}
