// Log bytes per pod-second and merge CPU per pod-second at 20k/s (docs/distributed.md). node bench/distributed-size.mjs
import { newHistogram, recordMs } from '../dist/metrics/histogram.js';
import { encodeInterval, decodeInterval, Aggregator } from '../dist/metrics/aggregator.js';
import { encodeFrame } from '../dist/distributed/frames.js';
import { emptyCounters } from '../dist/metrics/stats.js';
function interval(second, endpoints, perSec) {
  const eps = [];
  for (let e = 0; e < endpoints; e++) {
    const latency = newHistogram(), service = newHistogram();
    const c = emptyCounters();
    for (let i = 0; i < perSec / endpoints; i++) { const ms = Math.exp(Math.log(5) + 0.6 * (Math.random()*2-1) * 2) + (Math.random() < 0.01 ? 200*Math.random() : 0); recordMs(latency, ms); recordMs(service, ms*0.8); c.requests++; c.statusCodes['200']=(c.statusCodes['200']??0)+1; }
    eps.push({ latency, service, counters: c });
  }
  const lag = newHistogram(); for (let i=0;i<perSec;i++) recordMs(lag, Math.random()*2);
  return { second, endpoints: eps, lag };
}
for (const endpoints of [1, 5]) {
  const frames = []; 
  for (let s = 0; s < 10; s++) frames.push(encodeFrame('INTERVAL', encodeInterval(interval(s, endpoints, 20000))));
  const avg = frames.reduce((n, f) => n + f.length, 0) / frames.length;
  // merge speed: decode+absorb
  const enc = frames.map(f => null);
  const ivs = []; for (let s=0;s<10;s++) ivs.push(encodeInterval(interval(s, endpoints, 20000)));
  const agg = new Aggregator(Array.from({length:endpoints},(_, i)=>'e'+i), 1e9);
  const t0 = performance.now(); let n=0;
  for (let rep=0; rep<20; rep++) for (const iv of ivs) { agg.absorbEncoded(structuredClone(iv)); n++; }
  const ms = (performance.now()-t0)/n;
  console.log(`endpoints=${endpoints} 20k/s: frame ${avg.toFixed(0)} bytes/s; absorb ${ms.toFixed(2)} ms per pod-second; rss ${(process.memoryUsage().rss/1e6).toFixed(0)} MB`);
}
