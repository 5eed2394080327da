// The analytic truth of the stall test, for the open model: arrivals evenly spaced at `rate`/s from
// `startMs`; an arrival inside a stall waits for the stall's end, then the service time.

/** Latency (ms) of every scheduled arrival. */
export function trueLatencies({ startMs, rate, durationMs, originMs, cycleMs, stallMs, serviceMs }) {
  const count = Math.ceil((rate * durationMs) / 1000 - 1e-9);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const t = startMs + (k * 1000) / rate;
    const phase = (((t - originMs) % cycleMs) + cycleMs) % cycleMs;
    out[k] = (phase < stallMs ? stallMs - phase : 0) + serviceMs;
  }
  return out.sort();
}

/** Nearest-rank percentile (0–100) of sorted values: the HDR histogram's definition. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Closed form for whole cycles: the top stall/cycle fraction of arrivals waits uniformly 0…stall. */
export function analyticPercentile(p, { cycleMs, stallMs, serviceMs }) {
  const stalled = stallMs / cycleMs;
  const q = p / 100;
  if (q <= 1 - stalled) return serviceMs;
  return ((q - (1 - stalled)) / stalled) * stallMs + serviceMs;
}
