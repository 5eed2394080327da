// Binds a demo handler to a loopback port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toListener, type Handler } from './http-json.js';

export interface Serving {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function serve(handle: Handler, port = 0): Promise<Serving> {
  const server = createServer(toListener(handle));
  // Longer than load generators' keep-alive, so the server is never the side that drops an idle
  // connection just as a request is sent on it.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const close = () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      resolve({ server, port: (server.address() as AddressInfo).port, close });
    });
  });
}
