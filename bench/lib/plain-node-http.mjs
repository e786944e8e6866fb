// The floor under the client's Node wire: node:http with a keep-alive pool, the body collected and
// parsed, nothing else.
import http from 'node:http';

/**
 * A GET of `url` with `headers` over one keep-alive agent; `close()` destroys the agent.
 * `form: 'url'` calls http.request(url, options), as most code does; `form: 'options'` passes the
 * host, port and path in one options object instead, which spares node:http parsing the URL and
 * copying its fields (the form the client's wire uses when it may; src/wire/request-target.ts).
 */
export function plainNodeHttp(url, headers, form = 'url') {
  const agent = new http.Agent({ keepAlive: true });
  const { hostname, port, pathname, search } = new URL(url);
  const target = { hostname, port: port === '' ? undefined : Number(port), path: pathname + search };
  const collect = (resolve, reject) => (response) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    response.on('error', reject);
  };
  const get = () =>
    new Promise((resolve, reject) => {
      const request =
        form === 'url'
          ? http.request(url, { headers, agent }, collect(resolve, reject))
          : http.request(
              { hostname: target.hostname, port: target.port, path: target.path, headers, agent },
              collect(resolve, reject),
            );
      request.on('error', reject);
      request.end();
    });
  return { get, close: () => agent.destroy() };
}
