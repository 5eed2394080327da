// Golden files for the text formats. Rewrite them after an intended change with:
//   UPDATE_GOLDEN=1 npx vitest run test/report-golden.test.ts
// and read the diff before committing it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reporters, type ReportFormat } from '../src/report/index.js';
import type { RunResult } from '../src/types.js';
import { failingResult, passingResult } from './fixtures/results/build.js';

const here = dirname(fileURLToPath(import.meta.url));
const GOLDEN_DIR = join(here, 'golden');
const FIXTURE_DIR = join(here, 'fixtures', 'results');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const fixtures: Record<string, () => RunResult> = { passing: passingResult, failing: failingResult };
const formats: Array<{ format: ReportFormat; ext: string }> = [
  { format: 'terminal', ext: 'txt' },
  { format: 'md', ext: 'md' },
  { format: 'junit', ext: 'xml' },
];

/** Dates and times change from run to run; the golden keeps their place, not their value. */
function blankTimes(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g, '<TIME>');
}

function matchGolden(path: string, actual: string): void {
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('report goldens', () => {
  for (const [name, build] of Object.entries(fixtures)) {
    for (const { format, ext } of formats) {
      it(`${format} report of the ${name} fixture matches test/golden/report-${name}.${ext}`, () => {
        const text = blankTimes(reporters[format](build(), { color: false }));
        matchGolden(join(GOLDEN_DIR, `report-${name}.${ext}`), text);
      });
    }

    // Saved results let other parts (bench report, compare, merge) test against the same realistic data.
    it(`test/fixtures/results/${name}.json is the builder's output`, () => {
      matchGolden(join(FIXTURE_DIR, `${name}.json`), reporters.json(build(), { color: false }));
    });
  }
});

describe('terminal colour', () => {
  it('has no ANSI escapes without colour and has them with colour', () => {
    const result = failingResult();
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(reporters.terminal(result, { color: false })).not.toMatch(ansi);
    expect(reporters.terminal(result, { color: true })).toMatch(ansi);
  });

  it('says the SLOs are the defaults, and that closed-model latency is service time', () => {
    expect(reporters.terminal(passingResult(), { color: false })).toContain('SLOs (defaults)');
    const closed = reporters.terminal(failingResult(), { color: false });
    expect(closed).toContain('coordinated omission is not corrected');
    expect(closed).not.toContain('(defaults)');
  });

  it('shows a deferred SLO as deferred to merge, not as passed', () => {
    const result = passingResult();
    result.slo = result.slo.map((s) => (s.metric === 'rps' ? { ...s, deferred: true } : s));
    const text = reporters.terminal(result, { color: false });
    expect(text).toMatch(/– rps >= 100 +deferred to merge/);
    expect(text).not.toMatch(/✓ rps >= 100/);
  });
});
