import { HistogramLogReader } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { reporters } from '../src/report/index.js';
import { failingResult, passingResult } from './fixtures/results/build.js';

describe('hlog reporter', () => {
  for (const [name, build] of [['passing', passingResult], ['failing', failingResult]] as const) {
    it(`reads back with HistogramLogReader to the run's requests (${name})`, () => {
      const result = build();
      const log = reporters.hlog(result, { color: false });
      const reader = new HistogramLogReader(log);
      let intervals = 0;
      let count = 0;
      let maxUs = 0;
      for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) {
        expect(h.endTimeStampMsec - h.startTimeStampMsec).toBeCloseTo(1000, 6);
        intervals++;
        count += h.totalCount;
        maxUs = Math.max(maxUs, h.maxValue);
      }
      expect(intervals).toBe(result.timeline.length);
      expect(count).toBe(result.totals.requests);
      expect(maxUs / 1000).toBeCloseTo(result.totals.latencyMs.max, 0);
    });
  }

  it('writes the standard header and places intervals at the run start', () => {
    const result = passingResult();
    const log = reporters.hlog(result, { color: false });
    const lines = log.trimEnd().split('\n');
    const startSec = Date.parse(result.startedAt) / 1000;
    expect(lines).toContain(`#[StartTime: ${startSec.toFixed(3)} (seconds since epoch), ${result.startedAt}]`);
    expect(lines).toContain(`#[BaseTime: ${startSec.toFixed(3)} (seconds since epoch)]`);
    expect(lines).toContain('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"');
    expect(lines[lines.length - 1]).toMatch(/^4\.000,1\.000,\d+\.\d{3},HIST[A-Za-z0-9+/=]+$/);
    const reader = new HistogramLogReader(log);
    expect(reader.nextIntervalHistogram()!.startTimeStampMsec).toBe(Date.parse(result.startedAt));
  });
});
