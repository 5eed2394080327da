// Pure helpers of the send-precision test (unit-tested in test/bench-suite.test.ts).

/**
 * How late each arrival reached the server, from the server's own arrival times: the k-th arrival
 * (sorted) belongs to the k-th slot of an evenly spaced schedule, and lateness is measured above the
 * earliest one (the unknown start offset and the fixed loopback transit cancel out). Returns sorted ms.
 */
export function serverLateness(arrivals, rate) {
  const gap = 1000 / rate;
  const sorted = Float64Array.from(arrivals).sort();
  const offsets = sorted.map((t, k) => t - k * gap);
  let min = Infinity;
  for (const o of offsets) if (o < min) min = o;
  return offsets.map((o) => o - min).sort();
}

/** Nearest-rank percentile (0–100) of sorted values. */
export function percentileOf(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
