// A hostile target for the fault tests: raw `net`, so it can send broken HTTP. One path per fault,
// always on 127.0.0.1 port 0, always closed by the test. Every timer it starts dies with its socket.
import net, { type AddressInfo, type Socket } from 'node:net';

/** The faults, by request path (`/reset`, `/hang`, …). Any other path answers 200 "ok". */
export const FAULTS = ['ok', 'reset', 'cut-headers', 'hang', 'garbage', 'huge', 'short-body', 'close', 'status-503', 'trickle', 'flaky'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultServerOptions {
  /** size of the /huge body; default 20 MB */
  hugeBytes?: number;
  /** /trickle sends one byte this often, forever (until the client gives up); default 50 ms */
  trickleEveryMs?: number;
  /** /flaky resets the connection on every Nth request it carries; default 4 */
  flakyEvery?: number;
}

export interface FaultServer {
  url: string;
  port: number;
  /** requests seen per fault path */
  hits(fault: Fault): number;
  /** TCP connections accepted so far */
  connections(): number;
  /** sockets still open right now */
  openSockets(): number;
  close(): Promise<void>;
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok';

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const settings = { hugeBytes: 20 * 1024 * 1024, trickleEveryMs: 50, flakyEvery: 4, ...options };
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the client hanging up mid-body is expected here
    serveRequests(socket, (path) => {
      const fault = faultOf(path);
      hits.set(fault, (hits.get(fault) ?? 0) + 1);
      return fault;
    }, settings);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits: (fault) => hits.get(fault) ?? 0,
    connections: () => accepted,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that refuses connections: bound by us a moment ago, now closed. */
export async function refusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function faultOf(path: string): Fault {
  const name = path.split('?')[0]!.replace(/^\/+/, '');
  return (FAULTS as readonly string[]).includes(name) ? (name as Fault) : 'ok';
}

type Settings = Required<FaultServerOptions>;

/** Reads requests one after another on a keep-alive socket and answers each with its path's fault. */
function serveRequests(socket: Socket, route: (path: string) => Fault, settings: Settings): void {
  let pending = Buffer.alloc(0);
  let busy = false;
  let carried = 0;
  const next = (): void => {
    if (busy || socket.destroyed) return;
    const end = pending.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = pending.subarray(0, end).toString('latin1');
    const bodyLength = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (pending.length < end + 4 + bodyLength) return;
    pending = pending.subarray(end + 4 + bodyLength);
    const path = head.split(' ')[1] ?? '/';
    busy = true;
    carried++;
    respond(socket, route(path), carried, settings, () => {
      busy = false;
      next();
    });
  };
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    next();
  });
}

/** Answers one request with `fault`; calls `done` when the socket may carry the next request. */
function respond(socket: Socket, fault: Fault, carried: number, settings: Settings, done: () => void): void {
  switch (fault) {
    case 'reset':
      return void socket.resetAndDestroy();
    case 'cut-headers':
      // The status line and half a header, then the connection ends cleanly (FIN): a truncated response.
      return void socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/pl');
    case 'hang':
      return; // never answers; the socket stays open until the client gives up
    case 'garbage':
      return void socket.end(Buffer.from([0x00, 0xff, 0x13, 0x37, ...Buffer.from('this is not HTTP at all\r\n\r\n')]));
    case 'huge':
      return streamHugeBody(socket, settings.hugeBytes, done);
    case 'short-body':
      // Promises 100 bytes, sends 10, then closes.
      return void socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789');
    case 'close':
      return void socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    case 'status-503':
      socket.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 11\r\n\r\nunavailable');
      return done();
    case 'trickle':
      return trickle(socket, settings.trickleEveryMs);
    case 'flaky':
      // Every Nth request a connection carries kills it: the client must open a new one and go on.
      if (carried % settings.flakyEvery === 0) return void socket.resetAndDestroy();
      socket.write(OK);
      return done();
    case 'ok':
      socket.write(OK);
      return done();
  }
}

/** Writes `bytes` of body in 64 KB chunks, respecting back-pressure, so the server never holds it all. */
function streamHugeBody(socket: Socket, bytes: number, done: () => void): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes;
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes}\r\n\r\n`);
  const pump = (): void => {
    while (left > 0 && !socket.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) return void socket.once('drain', pump);
    }
    if (left === 0) done();
  };
  pump();
}

/** A body that never finishes: one byte at a time, each well inside any idle timeout. */
function trickle(socket: Socket, everyMs: number): void {
  socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write('.');
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}
