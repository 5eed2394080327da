// The soak test's pure parts (leak comparison, memory change, verdict, its RESULTS.md section) and
// merging a partial run into RESULTS.md's latest run. The soak itself runs for minutes: `npm run bench`.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain-JS script module without type declarations
import { countByType, extraResources, memoryChange, soakMarkdown, soakVerdict } from '../bench/lib/soak.mjs';
// @ts-expect-error plain-JS script module without type declarations
import { mergeResults, renderResults, splitSections } from '../bench/lib/results.mjs';

interface Point {
  fds: number;
  resources: Record<string, number>;
  rssMb: number;
  heapUsedMb: number;
  atS?: number;
}

const point = (fds: number, resources: Record<string, number>, rssMb = 80): Point => ({ fds, resources, rssMb, heapUsedMb: 12 });

/** A clean soak: flat memory, everything back after close. */
function cleanReport() {
  const baseline = { PipeWrap: 2 };
  return {
    durationMs: 20_000,
    totals: { requests: 60_000, errors: 0, dropped: 0, rps: 3000 },
    samples: [10, 20, 30].map((atS) => ({ atS, rssMb: 80, heapUsedMb: 12 })),
    beforeWarmup: point(20, baseline),
    before: point(21, baseline),
    afterClose: { ...point(21, { ...baseline, TCPSocketWrap: 20 }), atS: 30 },
    after: { ...point(21, baseline), atS: 30 },
    settled: { ...point(21, baseline), atS: 31 },
    collected: { ...point(21, baseline), heapUsedMb: 12.6, atS: 31 },
  };
}

describe('soak leak comparison', () => {
  it('counts active resources by type', () => {
    expect(countByType(['Timeout', 'PipeWrap', 'Timeout'])).toEqual({ PipeWrap: 1, Timeout: 2 });
    expect(countByType([])).toEqual({});
  });

  it('flags only types with more instances after than before', () => {
    const before = { PipeWrap: 2, Timeout: 1, TCPSocketWrap: 3 };
    const after = { PipeWrap: 2, Timeout: 2, TCPSocketWrap: 1, FSReqCallback: 1 };
    expect(extraResources(before, after)).toEqual({ Timeout: 1, FSReqCallback: 1 });
    expect(extraResources(after, after)).toEqual({});
  });

  it('measures memory from the first to the last full-load sample', () => {
    const samples = [{ rssMb: 100 }, { rssMb: 150 }, { rssMb: 108 }];
    expect(memoryChange(samples, 'rssMb')).toBeCloseTo(0.08, 10);
    expect(memoryChange([{ rssMb: 100 }], 'rssMb')).toBeNaN();
  });
});

describe('soak verdict', () => {
  it('passes a flat run that released everything (closing sockets at close are not a leak)', () => {
    const v = soakVerdict(cleanReport());
    expect(v).toMatchObject({ met: true, flat: true, fdsBack: true, noExtra: true, extra: {} });
    expect(v.rssGrowth).toBe(0);
  });

  it('fails when RSS grew more than 10% over the run', () => {
    const report = cleanReport();
    report.samples[2]!.rssMb = 89;
    const v = soakVerdict(report);
    expect(v.flat).toBe(false);
    expect(v.met).toBe(false);
    expect(v.rssGrowth).toBeCloseTo(0.1125, 6);
    expect(soakVerdict(report, { maxRssGrowth: 0.2 }).met).toBe(true);
  });

  it('fails on a leaked socket or timer after close', () => {
    const report = cleanReport();
    report.after.resources = { PipeWrap: 2, TCPSocketWrap: 1, Timeout: 1 };
    const v = soakVerdict(report);
    expect(v.extra).toEqual({ TCPSocketWrap: 1, Timeout: 1 });
    expect(v.met).toBe(false);
  });

  it('fails when a file descriptor stays open after close, even if it goes later', () => {
    const report = cleanReport();
    report.afterClose.fds = 22;
    expect(soakVerdict(report)).toMatchObject({ fdsBack: false, met: false });
  });

  it('cannot pass without two full-load samples to compare', () => {
    const report = cleanReport();
    report.samples = report.samples.slice(0, 1);
    expect(soakVerdict(report).met).toBe(false);
  });
});

describe('soak section', () => {
  const options = { rate: 3000, seconds: 20, targetName: 'nginx', cpuSec: 2.8, maxRssMb: 84.2 };

  it('renders the memory samples, the resources table and the verdict', () => {
    const md = soakMarkdown(cleanReport(), options);
    expect(md.startsWith('### 6. Soak — open model, 3,000/s for 20 s against nginx')).toBe(true);
    expect(md).toContain('| load 3 | 30 | 80.0 | 12.0 |');
    expect(md).toContain('| open file descriptors (/proc/self/fd) | 20 | 21 | 21 | 21 | 21 |');
    expect(md).toContain('| active: TCPSocketWrap | 0 | 0 | 20 | 0 | 0 |');
    expect(md).toContain('60,000 requests, 0 errors');
    expect(md).toContain('heap still live after a full GC: 12.6 MB after the run vs 12.0 MB before (+5.0%)');
    expect(md).toContain('extra active resources after close: **none**');
    expect(md).toContain('Target (memory flat, fds released, nothing leaked): **met**');
  });

  it('names the leaked resources and says NOT met', () => {
    const report = cleanReport();
    report.after.resources = { PipeWrap: 2, Timeout: 3 };
    const md = soakMarkdown(report, options);
    expect(md).toContain('extra active resources after close: **Timeout ×3**');
    expect(md).toContain('**NOT met**');
  });
});

describe('RESULTS.md merge of a partial run', () => {
  const fullRun = '- Date: A\n- Mode: full; tests: cpu, profile\n\n### 1. CPU\ncpu A\n\n### 5. Profile\nprofile A';
  const olderRun = '- Date: Z\n\n### 1. CPU\ncpu Z\n\n### 3. Rate\nrate Z';
  const notes = '<!-- notes: kept as written by hand -->\n\n## Analysis\nhand-written\n';
  const existing = renderResults(renderResults('', olderRun), fullRun).replace('<!-- notes: kept as written by hand -->\n', notes);
  const latestOf = (text: string) => text.slice(text.indexOf('## Latest run'), text.indexOf('## Previous run'));
  const previousOf = (text: string) => text.slice(text.indexOf('## Previous run'), text.indexOf('<!-- notes'));

  it('splits a run into its header and numbered sections', () => {
    const { header, sections } = splitSections(fullRun);
    expect(header).toBe('- Date: A\n- Mode: full; tests: cpu, profile');
    expect([...sections.keys()]).toEqual([1, 5]);
    expect(sections.get(5)).toBe('### 5. Profile\nprofile A');
  });

  it('adds the soak to the latest run in number order, keeping its other sections, the previous run and the notes', () => {
    const merged = mergeResults(existing, '### 6. Soak\nsoak B', '- Merged: soak from a full run on B');
    const latest = latestOf(merged);
    expect(latest).toContain('- Mode: full; tests: cpu, profile\n- Merged: soak from a full run on B');
    expect(latest.indexOf('cpu A')).toBeLessThan(latest.indexOf('profile A'));
    expect(latest.indexOf('profile A')).toBeLessThan(latest.indexOf('### 6. Soak\nsoak B'));
    expect(previousOf(merged)).toBe(previousOf(existing));
    expect(previousOf(merged)).toContain('#### 3. Rate\nrate Z');
    expect(merged).toContain('## Analysis\nhand-written');
  });

  it('replaces a section of the same number on a second merge', () => {
    const once = mergeResults(existing, '### 6. Soak\nsoak B', '- Merged: B');
    const twice = mergeResults(once, '### 6. Soak\nsoak C', '- Merged: C');
    expect(latestOf(twice)).toContain('soak C');
    expect(twice).not.toContain('soak B');
    expect(latestOf(twice)).toContain('cpu A');
  });

  it('falls back to an ordinary write when there is no latest run yet', () => {
    const first = mergeResults('', '### 6. Soak\nsoak B', '- Merged: B');
    expect(latestOf(first)).toContain('soak B');
    expect(first).toContain('_none yet_');
  });
});
