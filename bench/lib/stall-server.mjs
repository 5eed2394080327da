// The stall server (its own process): every response to a request arriving during the first second of
// each 5-second cycle is held until that second ends. Prints {"port":…, "originMs":…} once listening;
// originMs is the epoch ms at which cycle 0 began, so the suite can compute the exact truth.
import { createServer } from 'node:http';

const CYCLE_MS = Number(process.env.STALL_CYCLE_MS ?? 5000);
const STALL_MS = Number(process.env.STALL_MS ?? 1000);
const epochNow = () => performance.timeOrigin + performance.now();
const originMs = epochNow();

const server = createServer((req, res) => {
  req.resume();
  const phase = (epochNow() - originMs) % CYCLE_MS;
  const reply = () => res.end('ok\n');
  if (phase < STALL_MS) setTimeout(reply, STALL_MS - phase);
  else reply();
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, originMs, cycleMs: CYCLE_MS, stallMs: STALL_MS })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
