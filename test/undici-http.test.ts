// The undici client (used for https) keeps a body for checks only up to the same cap as the lean client.
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciClient } from '../src/engine/undici-client.js';
import { MAX_KEPT_BODY_BYTES, type HttpOutcome } from '../src/engine/transport-types.js';
import { startServer, type TestServer } from './helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function send(client: UndiciClient, path: string): Promise<HttpOutcome> {
  return new Promise((resolve) => client.send({ method: 'GET', path, headers: {} }, true, { onOutcome: (o) => resolve({ ...o }) }, performance.now()));
}

describe('undici client', () => {
  it('consumes a body beyond the cap without keeping it, and keeps a small one', async () => {
    const big = Buffer.alloc(MAX_KEPT_BODY_BYTES + 1024, 'x');
    server = await startServer((req, res) => res.end(req.url === '/big' ? big : 'small'));
    const client = new UndiciClient(server.url, { connections: 1, timeoutMs: 10_000 }, () => performance.now());
    try {
      expect(await send(client, '/big')).toMatchObject({ status: 200, body: null, error: null });
      expect(await send(client, '/small')).toMatchObject({ status: 200, body: 'small', error: null });
    } finally {
      await client.close();
    }
  });
});
