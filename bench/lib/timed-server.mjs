// A loopback HTTP server that notes when each request arrived and how long it held it, on its own
// clock (epoch ms with sub-ms resolution, as bench's): the independent side of the send-precision and
// start-up tests. HOLD_MS=1 answers after a 1 ms timer (its real hold time is what it measures).
//   GET /__report  → { arrivals: [epoch ms…], holds: [ms…] } of everything since the last report
//   prints { port } on its first stdout line
import { createServer } from 'node:http';

const HOLD_MS = Number(process.env.HOLD_MS ?? 0);
const epochNow = () => performance.timeOrigin + performance.now();
let arrivals = [];
let holds = [];

const server = createServer((req, res) => {
  const at = epochNow();
  req.resume();
  if (req.url === '/__report') {
    const body = JSON.stringify({ arrivals, holds });
    arrivals = [];
    holds = [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  arrivals.push(at);
  const reply = () => {
    res.end('ok\n');
    holds.push(epochNow() - at);
  };
  if (HOLD_MS > 0) setTimeout(reply, HOLD_MS);
  else reply();
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

