// The floor under the client's Node wire: node:http with a keep-alive pool, the body collected and
// parsed, nothing else.
import http from 'node:http';

/** A GET of `url` with `headers` over one keep-alive agent; `close()` destroys the agent. */
export function plainNodeHttp(url, headers) {
  const agent = new http.Agent({ keepAlive: true });
  const get = () =>
    new Promise((resolve, reject) => {
      const request = http.request(url, { headers, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  return { get, close: () => agent.destroy() };
}
