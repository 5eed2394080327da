// The floor undici gives bench: a bare closed loop of Pool.dispatch with an empty legacy handler,
// as its own process (run by the CPU test the same way as the generators). No timing, no recording,
// no scenario: whatever bench costs above this row is bench's own work (and its start-up).
//   node bench/lib/undici-floor.mjs <origin> <seconds> <connections>
import { Pool } from 'undici';

const [origin, seconds, connections] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 50)];
const pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
let completed = 0;
let errors = 0;
let stopping = false;

class Handler {
  onConnect() {}
  onHeaders() {
    return true;
  }
  onData() {
    return true;
  }
  onComplete() {
    completed++;
    send();
  }
  onError() {
    if (!stopping) errors++;
  }
}

function send() {
  if (!stopping) pool.dispatch({ origin, path: '/', method: 'GET', headers: {} }, new Handler());
}

for (let i = 0; i < connections; i++) send();
setTimeout(async () => {
  stopping = true;
  await pool.destroy().catch(() => undefined);
  process.stdout.write(`${JSON.stringify({ completed, errors, seconds })}\n`);
}, seconds * 1000);
