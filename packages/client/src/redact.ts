/** Cut every secret (a token, a key) out of a text before it goes into an error or a log line. */
export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    // Very short strings would shred ordinary text and are not credentials anyway.
    if (secret.length >= 4 && clean.includes(secret)) clean = clean.split(secret).join('[REDACTED]');
  }
  return clean;
}
