// node bench/lib/h2-clients.mjs node|undici PORT SECONDS (pin it: taskset -c 1)
// CPU per request of two HTTP/2 clients, 50 concurrent streams on one connection, for N seconds.
import http2 from 'node:http2';
import { Pool } from 'undici';
const [kind, port, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 5)];
const url = `http://127.0.0.1:${port}`;
const end = Date.now() + seconds * 1000;
let done = 0;
const c0 = process.cpuUsage();
await new Promise((resolve) => {
  let active = 50;
  const finish = () => { if (--active === 0) resolve(); };
  if (kind === 'node') {
    const session = http2.connect(url);
    const one = () => {
      if (Date.now() > end) return finish();
      const req = session.request({ ':path': '/' });
      req.on('response', () => {});
      req.on('data', () => {});
      req.on('end', () => { done++; one(); });
      req.end();
    };
    for (let i = 0; i < 50; i++) one();
  } else {
    const pool = new Pool(url, { connections: 1, pipelining: 50, allowH2: true, maxConcurrentStreams: 50, connect: { useH2c: true } });
    const handler = () => ({ onConnect() {}, onHeaders() { return true; }, onData() { return true; }, onComplete() { done++; next(); }, onError(e) { console.error(e); process.exit(1); } });
    let next;
    const one = () => { if (Date.now() > end) return finish(); pool.dispatch({ path: '/', method: 'GET' }, h); };
    const h = handler(); next = one;
    for (let i = 0; i < 50; i++) one();
  }
});
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ kind, requests: done, cpuUsPerReq: (c.user + c.system) / done, rps: done / seconds }));
process.exit(0);
