// Secrets never reach the terminal: every byte the CLI writes goes through the repository's redactor
// (one for the whole repository), which knows the token(s) and key material in use and blanks any
// PEM private key whatever its source.
export { createRedactor, REDACTED, type Redactor } from '@cci-openapi/internals/redact';

/**
 * The credentials in a URL's user-info (`http://user:password@host`), found even when the URL does
 * not parse, so that no message about a bad --server can show them.
 */
export function urlCredentials(text: string | undefined): string[] {
  const userInfo = text === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text.trim())?.[1];
  if (!userInfo) return [];
  const colon = userInfo.indexOf(':');
  const password = colon === -1 ? '' : userInfo.slice(colon + 1);
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return [userInfo, password, decoded(password)].filter(Boolean);
}

/** A URL as it may be shown: its user-info (credentials) replaced, whether or not the URL parses. */
export function withoutCredentials(text: string): string {
  return text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1[REDACTED]@');
}
