// Secrets never reach the terminal: every byte the CLI writes goes through a redactor that knows
// the token(s) and key material in use, and blanks any PEM private key whatever its source.

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
export const REDACTED = '[REDACTED]';

export interface Redactor {
  /** Adds a secret to hide from now on (empty strings are ignored). */
  add(secret: string | undefined): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add(secret) {
      if (!secret) return;
      secrets.add(secret);
      // The same secret as it may appear inside JSON text or a URL.
      secrets.add(JSON.stringify(secret).slice(1, -1));
      secrets.add(encodeURIComponent(secret));
    },
    redact(text) {
      let out = text.replace(PEM_PRIVATE_KEY, REDACTED);
      // Longest first, so a secret that contains another is hidden whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        if (secret) out = out.split(secret).join(REDACTED);
      }
      return out;
    },
  };
}

/** The secrets held by a kubeconfig (tokens, passwords, client keys in both encodings). */
export function kubeconfigSecrets(config: unknown): string[] {
  const secrets: string[] = [];
  const users = (config as { users?: Array<{ user?: Record<string, unknown> }> } | null)?.users;
  for (const entry of Array.isArray(users) ? users : []) {
    const user = entry?.user ?? {};
    for (const field of ['token', 'password', 'client-key-data']) {
      const value = user[field];
      if (typeof value === 'string' && value) secrets.push(value);
    }
    const keyData = user['client-key-data'];
    if (typeof keyData === 'string') secrets.push(Buffer.from(keyData, 'base64').toString('utf8').trim());
  }
  return secrets;
}
