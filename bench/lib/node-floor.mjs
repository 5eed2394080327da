// Node's own floor for a generator: bare `net` sockets in a closed loop, one write per request (a
// pre-encoded Buffer) and one 'data' event per response. It parses nothing beyond counting response
// status lines and records nothing, so it only works against a target that answers every request
// with the same small response (the suite's nginx `return 200`). Whatever a Node generator costs
// above this row is its HTTP parsing, bookkeeping and measuring; what this row costs above wrk is
// Node itself (the event loop, the stream layer, V8).
//   node bench/lib/node-floor.mjs <origin> <seconds> <connections>
import net from 'node:net';

const [origin, seconds, connections] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4] ?? 50)];
const request = Buffer.from(`GET / HTTP/1.1\r\nhost: ${origin.host}\r\nconnection: keep-alive\r\n\r\n`, 'latin1');
const STATUS = Buffer.from('HTTP/1.1 ');
let completed = 0;
let stopping = false;
const sockets = [];

for (let i = 0; i < connections; i++) {
  const socket = net.connect({ host: origin.hostname, port: Number(origin.port || 80), noDelay: true });
  socket.on('connect', () => socket.write(request));
  socket.on('data', (chunk) => {
    // one response per read in a closed loop of one request per connection; count them all the same
    for (let at = chunk.indexOf(STATUS); at >= 0; at = chunk.indexOf(STATUS, at + STATUS.length)) completed++;
    if (!stopping) socket.write(request);
  });
  socket.on('error', () => undefined);
  sockets.push(socket);
}
setTimeout(() => {
  stopping = true;
  for (const socket of sockets) socket.destroy();
  process.stdout.write(`${JSON.stringify({ completed, seconds })}\n`);
}, seconds * 1000);
