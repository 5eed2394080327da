import { describe, expect, it } from 'vitest';
import { progressLine, type ProgressSource } from '../src/cli/progress.js';

const source = (elapsedMs: number, dropped = 0): ProgressSource => ({
  progress: () => ({ elapsedMs, totalMs: 10_000, phase: 1, inFlight: 7 }),
  totals: () => ({ requests: 1234, errors: 5, dropped }),
  lastSecond: () => ({ requests: 200, p95Ms: 12.345 }),
});

describe('progress line', () => {
  it('shows elapsed/total, phase, last-second rate and p95, totals, errors and in-flight', () => {
    const line = progressLine(source(2500), 'api', false);
    expect(line).toBe('api 2.5s/10s · phase 2 · 200 req/s · p95 12.3 ms · 1234 requests · 5 errors · 7 in flight');
  });

  it('draws a bar on a terminal, filled in proportion, and names dropped arrivals when there are any', () => {
    const line = progressLine(source(5000, 3), 'api', true);
    expect(line).toContain(`[${'█'.repeat(10)}${'░'.repeat(10)}]`);
    expect(line).toMatch(/· 3 dropped$/);
  });
});

describe('progress line before the first response', () => {
  it('shows "—" for the rate and p95, not 0 req/s and p95 0.0 ms', () => {
    const empty: ProgressSource = {
      progress: () => ({ elapsedMs: 300, totalMs: 10_000, phase: 0, inFlight: 3 }),
      totals: () => ({ requests: 0, errors: 0, dropped: 0 }),
      lastSecond: () => ({ requests: 0, p95Ms: 0 }),
    };
    const line = progressLine(empty, 'api', false);
    expect(line).toBe('api 0.3s/10s · phase 1 · — req/s · p95 — · 0 requests · 0 errors · 3 in flight');
  });
});
