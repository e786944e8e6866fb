import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciGatewayError, isCciError } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { failureOf } from './helpers/failure.js';
import { startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server that answers every request with `status`, `body` (JSON) and `headers`. */
async function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const server = await startServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  servers.push(server);
  return server;
}

const read = (server: TestServer) =>
  clientFor(server, { retry: false }).readServiceStatus({ namespace: 'default', name: 'redis' });

describe("the API gateway's own refusals", () => {
  it('become CciGatewayError with the code, message, request id and status', async () => {
    const server = await answering(401, {
      error_msg: 'Incorrect IAM authentication information: x-auth-token not found',
      error_code: 'APIGW.0301',
      request_id: '8b2d6f0c3e1a4b7d9c2e5f8a1b4c7d0e',
    });
    const error = await failureOf(read(server));
    expect(error).toBeInstanceOf(CciGatewayError);
    expect(isCciError(error, 'gateway')).toBe(true);
    expect(error).toMatchObject({
      status: 401,
      code: 'APIGW.0301',
      gatewayMessage: 'Incorrect IAM authentication information: x-auth-token not found',
      requestId: '8b2d6f0c3e1a4b7d9c2e5f8a1b4c7d0e',
    });
    expect((error as Error).message).toContain(
      'HTTP 401 APIGW.0301: Incorrect IAM authentication information: x-auth-token not found',
    );
  });

  it('takes the request id from X-Request-Id when the body has none, and reads the newer APIG. prefix', async () => {
    const server = await answering(
      403,
      { error_msg: 'The IAM user is not authorized to access the API.', error_code: 'APIG.0302' },
      { 'x-request-id': 'req-42' },
    );
    const error = (await failureOf(read(server))) as CciGatewayError;
    expect(error).toMatchObject({ status: 403, code: 'APIG.0302', requestId: 'req-42' });
    expect(error.hint).toMatch(/IAM policies/);
  });

  it.each([
    ['APIGW.0307', 'The token must be updated.', /expired or was issued for another region/],
    [
      'APIGW.0301',
      'Incorrect IAM authentication information: verify aksk signature fail, SignedHeaders=host;x-sdk-date|…',
      /check the SK belongs to the AK/,
    ],
    ['APIGW.0301', 'Incorrect IAM authentication information: ak not exist', /check the AK/],
    [
      'APIGW.0301',
      'Incorrect IAM authentication information: the X-Sdk-Date is more than 15 minutes from the server time',
      /clock/,
    ],
  ])('%s "%s" carries a hint', async (code, message, hint) => {
    const error = (await failureOf(
      read(await answering(401, { error_code: code, error_msg: message, request_id: 'r' })),
    )) as CciGatewayError;
    expect(error.hint).toMatch(hint);
    expect(error.message).toMatch(hint);
  });

  it("says how far this machine's clock is from the gateway's when a 401 comes with a Date over 15 minutes off", async () => {
    const gatewayNow = new Date(Date.now() - 42 * 60_000).toUTCString();
    const server = await answering(
      401,
      { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' },
      { date: gatewayNow },
    );
    const error = (await failureOf(read(server))) as CciGatewayError;
    expect(error.hint).toMatch(/this machine's clock is 4[12] minutes ahead of the gateway's/);
  });

  it('cuts the credential out of an error_msg that echoes it', async () => {
    const server = await answering(401, {
      error_code: 'APIGW.0301',
      error_msg: `Incorrect IAM authentication information: decrypt token fail: ${TOKEN}`,
    });
    const error = (await failureOf(read(server))) as CciGatewayError;
    expect(`${error.message} ${JSON.stringify(error)} ${error.gatewayMessage}`).not.toContain(TOKEN);
  });

  it('a Kubernetes Status stays a CciApiError', async () => {
    const server = await answering(404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'services "redis" not found',
    });
    const error = await failureOf(read(server));
    expect(error).toBeInstanceOf(CciApiError);
    expect(isCciError(error, 'gateway')).toBe(false);
  });
});
