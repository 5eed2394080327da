// The start barrier across processes and machines: segments meet before any load.
//
// Segment 0 (on Kubernetes pod 0, JOB_COMPLETION_INDEX 0) is the coordinator: it listens on the
// --coordinator port; every other segment connects to host:port (retrying until the deadline: pod 0 or
// its DNS name may not be there yet). Over the connection a segment measures its clock's offset to the
// coordinator's (NTP-style: the ping with the shortest round trip, offset = t1 − (t0 + t2) / 2), then
// reports `ready` once its plan is loaded and its setup done. When all N are ready, the coordinator
// announces one start time START_LEAD_MS ahead on its own clock; each segment converts it to its own
// clock, so skew between machines does not matter. A segment that is not ready by the deadline fails the
// whole run: the coordinator tells every connected segment why, and nobody sends load.
//
// The messages are those of the in-process barrier (src/engine/barrier.ts: `ready`, `start`), plus what a
// network needs (hello, ping/pong, abort), one JSON object per line.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { RunError, UsageError } from '../errors.js';
import { StartBarrier, type ReadyMessage, type StartMessage } from '../engine/barrier.js';

/** How far ahead the coordinator sets the start: room for the message to reach every segment. */
export const NETWORK_START_LEAD_MS = 2000;

type ToCoordinator = { type: 'hello'; index: number; count: number; fingerprint: string } | { type: 'ping'; t0: number } | ReadyMessage;
type ToSegment = { type: 'welcome' } | { type: 'pong'; t0: number; t1: number } | (StartMessage & { runId: string }) | { type: 'abort'; reason: string };

export interface Address {
  host: string;
  port: number;
}

export function parseAddress(text: string): Address {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--coordinator: "${text}" is not host:port (e.g. bench-api-0.bench-api:7070)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export interface RendezvousOptions {
  address: Address;
  segment: { index: number; count: number };
  fingerprint: string;
  /** how long to wait for every segment, ms */
  timeoutMs: number;
  /** a run id everyone gets (BENCH_RUN_ID); default: the coordinator makes one */
  runId?: string;
  leadMs?: number;
  /** epoch ms */
  now: () => number;
  log: (line: string) => void;
}

export interface Rendezvous {
  /** This segment is loaded and waiting; resolves with the start on this machine's clock. */
  ready(): Promise<{ startAt: number; runId: string; offsetMs: number }>;
  /** Stop waiting (the run was stopped before its start). */
  close(): void;
}

/** Segment 0 listens; the others connect. Resolves once listening or connected (clock measured). */
export function joinRendezvous(options: RendezvousOptions): Promise<Rendezvous> {
  return options.segment.index === 0 ? coordinate(options) : participate(options);
}

const segName = (index: number, count: number): string => `segment ${index}/${count}`;

function lines(socket: Socket, onMessage: (msg: unknown) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (buffer.length > 1 << 20) socket.destroy();
      try {
        onMessage(JSON.parse(line));
      } catch {
        socket.destroy(); // not one of ours
      }
    }
  });
}

const send = (socket: Socket, msg: ToSegment | ToCoordinator): void => {
  if (!socket.destroyed) socket.write(JSON.stringify(msg) + '\n');
};

async function coordinate(options: RendezvousOptions): Promise<Rendezvous> {
  const { count } = options.segment;
  const names = Array.from({ length: count }, (_, i) => segName(i, count));
  const barrier = new StartBarrier({ participants: names, now: options.now, leadMs: options.leadMs ?? NETWORK_START_LEAD_MS });
  const runId = options.runId ?? randomUUID();
  const sockets = new Map<number, Socket>();
  let started = false;
  const fail = (reason: string): void => {
    for (const s of sockets.values()) send(s, { type: 'abort', reason });
    barrier.fail(new RunError(reason));
  };
  const server: Server = createServer((socket) => {
    let index: number | null = null;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => {
      if (index !== null && sockets.get(index) === socket && !started) {
        sockets.delete(index);
        fail(`${segName(index, count)} disconnected before the start (its process ended?): nobody starts`);
      }
    });
    lines(socket, (raw) => {
      const msg = raw as ToCoordinator;
      if (msg.type === 'hello') {
        const refuse = refusal(msg, options, sockets);
        if (refuse) {
          send(socket, { type: 'abort', reason: refuse });
          socket.end();
          return;
        }
        index = msg.index;
        sockets.set(index, socket);
        send(socket, { type: 'welcome' });
      } else if (msg.type === 'ping') send(socket, { type: 'pong', t0: msg.t0, t1: options.now() });
      else if (msg.type === 'ready' && index !== null) barrier.ready(names[index]!);
    });
  });
  const deadline = setTimeout(() => {
    const late = barrier.pending;
    if (late.length) fail(`${late.join(', ')} did not reach the coordinator within ${Math.round(options.timeoutMs / 1000)} s (--barrier-timeout): nobody starts`);
  }, options.timeoutMs);
  deadline.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new RunError(`--coordinator: segment 0 cannot listen on port ${options.address.port}: ${err.code ?? err.message}`)));
    // Loopback addresses bind loopback only; any other name is this pod's own: every interface.
    const loopback = /^(127\.|localhost$|::1$)/.test(options.address.host);
    server.listen({ port: options.address.port, ...(loopback ? { host: options.address.host } : {}) }, resolve);
  });
  options.log(`bench: coordinator listening on port ${options.address.port}; waiting for ${count - 1} segment${count === 2 ? '' : 's'} (up to ${Math.round(options.timeoutMs / 1000)} s)`);
  const start = barrier.start.then((startAt) => {
    started = true;
    for (const s of sockets.values()) {
      send(s, { type: 'start', startAt, shared: {}, runId });
      s.end();
    }
    return { startAt, runId, offsetMs: 0 };
  });
  start.catch(() => {});
  const close = (): void => {
    clearTimeout(deadline);
    server.close();
    for (const s of sockets.values()) s.destroy();
  };
  start.then(close, close);
  return {
    ready: () => {
      barrier.ready(names[0]!);
      return start;
    },
    close,
  };
}

function refusal(msg: Extract<ToCoordinator, { type: 'hello' }>, options: RendezvousOptions, sockets: Map<number, Socket>): string | null {
  const { count } = options.segment;
  if (msg.count !== count) return `segment ${msg.index}/${msg.count} joined a run of ${count} segments: every segment needs the same --segment N`;
  if (!Number.isInteger(msg.index) || msg.index < 1 || msg.index >= count) return `segment index ${msg.index} is not one of 1…${count - 1}`;
  if (sockets.has(msg.index)) return `${segName(msg.index, count)} is already connected: two processes run the same segment`;
  if (msg.fingerprint !== options.fingerprint) return `${segName(msg.index, count)} runs a different plan than segment 0 (another --rate, --duration, scenario file or SLOs): nobody starts`;
  return null;
}

const PINGS = 8;
const RETRY_MS = 250;

async function participate(options: RendezvousOptions): Promise<Rendezvous> {
  const { host, port } = options.address;
  const { index, count } = options.segment;
  const giveUp = options.now() + options.timeoutMs;
  let socket: Socket | null = null;
  let lastError = '';
  while (!socket) {
    try {
      socket = await connectOnce(host, port);
    } catch (err) {
      lastError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (options.now() + RETRY_MS > giveUp) throw new RunError(`--coordinator ${host}:${port}: not reachable within ${Math.round(options.timeoutMs / 1000)} s (${lastError}): is segment 0 running?`);
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
  const conn = socket;
  conn.setNoDelay(true);
  const inbox: ToSegment[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  lines(conn, (msg) => {
    inbox.push(msg as ToSegment);
    wake?.();
  });
  conn.on('error', () => {});
  conn.on('close', () => {
    closed = true;
    wake?.();
  });
  const next = async (): Promise<ToSegment> => {
    for (;;) {
      const msg = inbox.shift();
      if (msg) {
        if (msg.type === 'abort') throw new RunError(`the coordinator (segment 0) called off the run: ${msg.reason}`);
        return msg;
      }
      if (closed) throw new RunError(`the coordinator ${host}:${port} closed the connection before the start (segment 0 failed?)`);
      await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  };
  try {
    send(conn, { type: 'hello', index, count, fingerprint: options.fingerprint });
    const welcome = await next();
    if (welcome.type !== 'welcome') throw new RunError(`the coordinator ${host}:${port} answered unexpectedly`);
    // The clock: the ping with the shortest round trip bounds the offset's error by half that round trip.
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < PINGS; i++) {
      const t0 = options.now();
      send(conn, { type: 'ping', t0 });
      const pong = await next();
      const t2 = options.now();
      if (pong.type !== 'pong') throw new RunError(`the coordinator ${host}:${port} answered unexpectedly`);
      if (t2 - t0 < best.rtt) best = { rtt: t2 - t0, offset: pong.t1 - (t0 + t2) / 2 };
    }
    options.log(`bench: joined the coordinator ${host}:${port} as ${segName(index, count)} (clock offset ${best.offset.toFixed(1)} ms ± ${(best.rtt / 2).toFixed(1)} ms)`);
    return {
      ready: async () => {
        send(conn, { type: 'ready' });
        const start = await next();
        if (start.type !== 'start') throw new RunError(`the coordinator ${host}:${port} answered unexpectedly`);
        conn.end();
        // The coordinator's clock reads ours + offset: its start on our clock is start − offset.
        return { startAt: start.startAt - best.offset, runId: start.runId, offsetMs: best.offset };
      },
      close: () => conn.destroy(),
    };
  } catch (err) {
    conn.destroy();
    throw err;
  }
}

function connectOnce(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), 3000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
