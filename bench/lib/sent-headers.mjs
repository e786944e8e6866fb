// The headers a client really sends, captured from one call to a local server, so that a reference
// (plain node:http) sends the very same request and the comparison is of the code, not of the bytes.
import http from 'node:http';

/** Calls `send(baseUrl)` once against a capturing server; resolves to the headers it sent, without Host and Connection. */
export async function sentHeaders(send) {
  let captured;
  const server = http.createServer((request, response) => {
    captured ??= request.headers;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send(`http://127.0.0.1:${server.address().port}`).catch(() => {});
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (!captured) throw new Error('the client sent no request to the capturing server');
  const { host, connection, ...headers } = captured;
  return headers;
}
