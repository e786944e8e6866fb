// Makes the page that `redocly build-docs --inlineBundle` writes fully offline.
//
// --inlineBundle already embeds Redoc's script, and the build runs with telemetry off, but Redoc's
// sidebar footer ("API docs by Redocly") still loads its logo from cdn.redoc.ly when the page opens.
// Redoc has no option to turn that off, so the two logo URLs are swapped for an inline SVG. Any other
// reference to a Redocly CDN left in the page fails the build: a newer Redoc that loads something
// new must be looked at, not shipped.

const REDOCLY_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
// Icon sets Redoc loads only for icons named in a theme's config (this page names none); the browser
// test proves that no request goes to them.
const DORMANT = new Set(['https://cdn.redocly.com/icons/fa/7.0.0', 'https://cdn.redocly.com/icons/code/5.24.0']);
const CDN_HOSTS =
  /https?:\/\/(cdn\.redoc\.ly|cdn\.redocly\.com|cdn\.jsdelivr\.net|unpkg\.com|fonts\.googleapis\.com|fonts\.gstatic\.com)\/[^\s"'`)]*/g;

/** The attribution stays, as text drawn by the page itself instead of a remote image. */
const LOCAL_LOGO =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="16" viewBox="0 0 56 16">' +
      '<text x="0" y="12.5" font-family="system-ui, sans-serif" font-size="13" font-weight="700" fill="#0044D4">Redoc</text></svg>',
  );

export class OfflinePageError extends Error {
  name = 'OfflinePageError';
}

/** @param {string} html the page as build-docs wrote it @returns {string} the offline page */
export function makeOffline(html) {
  let result = html;
  for (const logo of REDOCLY_LOGOS) {
    if (!result.includes(logo)) {
      throw new OfflinePageError(
        `expected Redoc's logo URL ${logo} in the page; Redoc changed: check what it loads now`,
      );
    }
    result = result.replaceAll(logo, LOCAL_LOGO);
  }
  const left = [...new Set(result.match(CDN_HOSTS) ?? [])].filter((url) => !DORMANT.has(url));
  if (left.length > 0) throw new OfflinePageError(`the page still references remote assets: ${left.join(', ')}`);
  if (
    /<script[^>]+\bsrc=/i.test(result) ||
    /<link[^>]+rel="(modulepreload|stylesheet)"[^>]+href="https?:/i.test(result)
  ) {
    throw new OfflinePageError('the page loads a script or stylesheet from elsewhere: Redoc is not inlined');
  }
  return result;
}
