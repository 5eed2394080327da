// A raw keep-alive HTTP/1.1 server for transport tests: it hands each complete request (head +
// content-length body, the exact bytes) to `answer`, with the request's index on its connection, and
// counts what it saw itself (connections, requests, answered) — the independent figures tests check.
import net, { type AddressInfo, type Socket } from 'node:net';

export interface RawRequest {
  /** the exact bytes of head and body */
  bytes: Buffer;
  head: string;
  body: string;
  /** 0 for a connection's first request */
  onConnection: number;
}

export interface RawHttpServer {
  url: string;
  port: number;
  requests: RawRequest[];
  connections(): number;
  close(): Promise<void>;
}

export async function rawHttpServer(answer: (socket: Socket, request: RawRequest) => void): Promise<RawHttpServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let carried = 0;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const request = { bytes: Buffer.from(pending.subarray(0, end + 4 + length)), head, body: pending.subarray(end + 4, end + 4 + length).toString('utf8'), onConnection: carried++ };
        pending = pending.subarray(end + 4 + length);
        requests.push(request);
        answer(socket, request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
