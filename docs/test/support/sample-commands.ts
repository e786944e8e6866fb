// Reads the shell samples (curl, kubectl) the way bash would, closely enough to check them: a
// line continued with `\` is one command, a heredoc's body is the file it writes, comments are
// not commands. What the docs tests then hold against the operation: the method, the path, the
// Content-Type and the body each curl sends, and the kubectl verb that reaches the operation.
import YAML from 'yaml';

interface ShellScript {
  /** The commands, one per (joined) line, comments and heredoc bodies left out. */
  commands: string[];
  /** Files the script writes with `cat > file <<'TAG'`: file name → heredoc text. */
  heredocs: Map<string, string>;
  /** Every file name the script writes (`> file`), heredoc or not. */
  written: Set<string>;
}

const HEREDOC = /^cat > (\S+) <<'(\w+)'$/;

export function parseScript(text: string): ShellScript {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const commands: string[] = [];
  const heredocs = new Map<string, string>();
  const written = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const heredoc = HEREDOC.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`heredoc ${heredoc[2]} is never closed`);
      heredocs.set(heredoc[1]!, lines.slice(i + 1, end).join('\n'));
      i = end;
    }
    for (const match of line.matchAll(/(?:^|\s)>\s*([\w.-]+)/g)) written.add(match[1]!);
    commands.push(line);
  }
  return { commands, heredocs, written };
}

interface CurlCall {
  url: URL;
  /** The method curl sends: -X, else GET with -G, else POST when it sends data, else GET. */
  method: string;
  contentType: string | undefined;
  /** What --data-binary / -d sends: `@file`, or the text of a single-quoted argument. */
  data: string | undefined;
  /** The data is a shell string with expansions ("…${VAR}…"): its text is known only when run. */
  dataExpanded: boolean;
}

/** Every curl of the script (a command may hold several, e.g. inside `$(…)` or a pipeline). */
export function curlCalls(script: ShellScript): CurlCall[] {
  return script.commands.flatMap((command) =>
    command
      .split(/\|(?=(?:[^'"]|'[^']*'|"[^"]*")*$)/)
      .map((segment) => segment.trim().replace(/^[A-Z_]+=\$\(/, ''))
      .filter((segment) => segment.startsWith('curl '))
      .map(parseCurl),
  );
}

function parseCurl(command: string): CurlCall {
  const url = /"(https?:\/\/[^"]+)"/.exec(command)?.[1];
  if (!url) throw new Error(`curl without a quoted URL: ${command}`);
  const data = /(?:--data-binary|--data|-d) (?:'([^']*)'|"((?:[^"\\]|\\.)*)"|(@\S+))/.exec(command);
  const explicit = /(?:^|\s)-X (\w+)/.exec(command)?.[1];
  const method = explicit ?? (/\s-G\b/.test(command) ? 'GET' : data ? 'POST' : 'GET');
  return {
    url: new URL(url.replace('${APISERVER}', 'apiserver.invalid')),
    method,
    contentType: /-H '[Cc]ontent-[Tt]ype: ([^']+)'/.exec(command)?.[1],
    data: data?.[1] ?? data?.[2] ?? data?.[3],
    dataExpanded: data?.[2]?.includes('$') ?? false,
  };
}

/** The body text a curl sends, when the sample fixes it (inline, or a heredoc the script writes). */
export function bodyText(script: ShellScript, call: CurlCall): string | undefined {
  if (call.data === undefined || call.dataExpanded) return undefined;
  return call.data.startsWith('@') ? script.heredocs.get(call.data.slice(1)) : call.data;
}

/** Parses a body as its media type says: YAML for *yaml, JSON for everything else. */
export function parseBody(mediaType: string, text: string): unknown {
  return mediaType.endsWith('yaml') ? YAML.parse(text) : JSON.parse(text);
}

/** kubectl patch --type → the Content-Type kubectl sends. */
const KUBECTL_PATCH_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** The media type of each kubectl write in the script: `kubectl patch --type …`, `kubectl apply --server-side`. */
export function kubectlPatchMediaTypes(script: ShellScript): string[] {
  return script.commands.flatMap((command) => {
    if (/^kubectl apply .*--server-side\b/.test(command)) return ['application/apply-patch+yaml'];
    if (!command.startsWith('kubectl patch ')) return [];
    // kubectl's default patch type is strategic.
    const type = /--type[ =](\w+)/.exec(command)?.[1] ?? 'strategic';
    return [KUBECTL_PATCH_TYPES[type] ?? `unknown --type ${type}`];
  });
}
