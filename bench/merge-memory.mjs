// Segment results for measuring `bench merge` (docs/distributed.md, "Memory of the merge"): N result.json
// files of S seconds at R requests/s, written by bench's own result writer (Aggregator → resultFrom →
// the json reporter), so they are what `bench run --segment i/N` writes. Needs `npm run build`.
//
//   node bench/merge-memory.mjs DIR [segments=50] [seconds=600] [rate=20000]
//   /usr/bin/time -v node bin/bench.js merge DIR/segment-*.json --out DIR/merged --quiet
//
// To stay cheap, each segment's seconds cycle through 8 distinct one-second intervals (20k lognormal
// latencies each): the histograms are real (as populated as a 20k/s second), only repeated.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newHistogram, recordMs } from '../dist/metrics/histogram.js';
import { Aggregator, encodeInterval } from '../dist/metrics/aggregator.js';
import { emptyCounters } from '../dist/metrics/stats.js';
import { resultFrom } from '../dist/result/build.js';
import { jsonReport } from '../dist/report/json.js';

const [dir, segmentsArg = '50', secondsArg = '600', rateArg = '20000'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node bench/merge-memory.mjs DIR [segments] [seconds] [rate]');
  process.exit(2);
}
const segments = Number(segmentsArg);
const seconds = Number(secondsArg);
const rate = Number(rateArg);

function interval(second, perSec) {
  const latency = newHistogram();
  const service = newHistogram();
  const counters = emptyCounters();
  for (let i = 0; i < perSec; i++) {
    const ms = Math.exp(Math.log(5) + 1.2 * (Math.random() * 2 - 1)) + (Math.random() < 0.01 ? 200 * Math.random() : 0);
    recordMs(latency, ms);
    recordMs(service, ms * 0.8);
    counters.requests++;
    counters.statusCodes['200'] = (counters.statusCodes['200'] ?? 0) + 1;
  }
  const lag = newHistogram();
  for (let i = 0; i < perSec; i += 10) recordMs(lag, Math.random() * 2);
  return encodeInterval({ second, endpoints: [{ latency, service, counters }], lag });
}

const templates = Array.from({ length: 8 }, (_, s) => interval(s, rate));
const identity = { name: 'merge-memory', target: 'http://127.0.0.1:1', model: 'open', slo: [], sloDefaults: false, measured: [0], endpoints: ['GET /'], namedPhases: false };
const startedAt = Date.parse('2026-01-01T00:00:00.000Z');
mkdirSync(dir, { recursive: true });
for (let index = 0; index < segments; index++) {
  const agg = new Aggregator(identity.endpoints, Number.POSITIVE_INFINITY);
  for (let s = 0; s < seconds; s++) agg.absorbEncoded({ ...templates[(s + index) % templates.length], second: s });
  const durationMs = seconds * 1000;
  const result = resultFrom(identity, agg.summarize(durationMs), {
    startedAt,
    durationMs,
    drainMs: 0,
    segment: { index, count: segments },
    fingerprint: 'merge-memory',
    runId: 'merge-memory-run',
  });
  writeFileSync(join(dir, `segment-${String(index).padStart(3, '0')}.json`), jsonReport(result, { color: false, redact: (t) => t }));
}
console.log(`${segments} segments × ${seconds} s at ${rate}/s written to ${dir}`);
