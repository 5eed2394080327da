// Loopback servers for tests: always 127.0.0.1 port 0, always closed by the test.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  server: http.Server;
  /** requests in flight right now, and the most ever seen at once */
  inFlight: () => number;
  maxInFlight: () => number;
  requests: () => number;
  close(): Promise<void>;
}

export async function startServer(handler: http.RequestListener = (_req, res) => res.end('ok')): Promise<TestServer> {
  let current = 0;
  let max = 0;
  let total = 0;
  const server = http.createServer((req, res) => {
    current++;
    total++;
    if (current > max) max = current;
    res.on('close', () => current--);
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    inFlight: () => current,
    maxInFlight: () => max,
    requests: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
