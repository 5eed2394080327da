// A server of KNOWN capacity for the capacity benchmark (its own process, 127.0.0.1 port 0). Prints
// {"port":…} once listening.
//   CAPACITY_KIND=rate  CAPACITY_RATE=R         admits R requests/s (token bucket, 50 ms of burst), 503 beyond
//   CAPACITY_KIND=slots CAPACITY_SLOTS=k CAPACITY_SERVICE_MS=s   k requests at a time, s ms each, FIFO queue
import { createServer } from 'node:http';

const kind = process.env.CAPACITY_KIND ?? 'rate';
let handler;
if (kind === 'rate') {
  const rate = Number(process.env.CAPACITY_RATE ?? 300);
  const burst = Math.max(1, rate * 0.05);
  let tokens = burst;
  let last = performance.now();
  handler = (_req, res) => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      res.end('ok');
    } else {
      res.statusCode = 503;
      res.end('busy');
    }
  };
} else {
  const slots = Number(process.env.CAPACITY_SLOTS ?? 4);
  const serviceMs = Number(process.env.CAPACITY_SERVICE_MS ?? 20);
  let busy = 0;
  const queue = [];
  const serve = (res) => {
    busy++;
    setTimeout(() => {
      busy--;
      if (!res.destroyed) res.end('ok');
      const next = queue.shift();
      if (next) serve(next);
    }, serviceMs);
  };
  handler = (_req, res) => {
    if (busy < slots) return serve(res);
    queue.push(res);
    res.on('close', () => {
      const i = queue.indexOf(res);
      if (i >= 0) queue.splice(i, 1);
    });
  };
}
const server = createServer(handler);
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
