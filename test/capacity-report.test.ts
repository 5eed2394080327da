// Golden files for capacity.md and junit.xml. Rewrite them after an intended change with:
//   UPDATE_GOLDEN=1 npx vitest run test/capacity-report.test.ts
// and read the diff before committing it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDocument, exitCodeOf, redactDocument, verdictLine } from '../src/capacity/document.js';
import { capacityMarkdown } from '../src/capacity/markdown.js';
import { capacityJunit } from '../src/capacity/junit.js';
import { conclude, type ProbeRecord } from '../src/capacity/policy.js';
import type { SearchRun } from '../src/capacity/run.js';
import { makeRedactor } from '../src/report/redact.js';
import { SETTINGS, simulatedProbe, simulatedRun } from './helpers/capacity-sim.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function blankTimes(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g, '<TIME>');
}

function matchGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The simulated search plus a second target whose generator could not go past 800/s. */
function twoTargets(): SearchRun {
  const run = simulatedRun();
  const rates: Array<[number, ProbeRecord['kind']]> = [[100, 'rise'], [200, 'rise'], [400, 'rise'], [800, 'rise'], [1600, 'rise'], [1600, 'recheck'], [1200, 'bisect'], [1000, 'bisect'], [900, 'bisect'], [850, 'bisect'], [800, 'confirm']];
  const probes = rates.map(([rate, kind], i) => {
    const p = simulatedProbe(rate, kind, i + 1);
    if (rate > 800) {
      p.scheduleLagMs = { p99: 420, max: 800 };
      p.verdict = 'limited';
      p.pass = false;
      p.generatorLimited = true;
      p.limitedBy = ['schedule lag p99 420 ms (arrivals are 1.00 ms apart)'];
    }
    return p;
  });
  const history = probes.map((p) => ({ rate: p.offeredRate, kind: p.kind, verdict: p.verdict }));
  run.targets.push({ target: { name: 'edge', url: 'http://127.0.0.1:3001' }, probes, outcome: conclude(history) });
  return run;
}

describe('capacity report goldens', () => {
  it('one target, --min-capacity 1000/s: capacity.md and junit.xml', () => {
    const doc = buildDocument(simulatedRun(), SETTINGS, 1000);
    expect(doc.pass).toBe(true);
    expect(exitCodeOf(doc)).toBe(0);
    matchGolden('capacity.md', blankTimes(capacityMarkdown(doc)));
    matchGolden('capacity-junit.xml', blankTimes(capacityJunit(doc)));
  });

  it('two targets, one limited by the generator: never reported as its capacity', () => {
    const doc = buildDocument(twoTargets(), SETTINGS, null);
    const edge = doc.targets[1]!;
    expect(edge.status).toBe('generator-limited');
    expect(edge.capacity).toBeNull();
    expect(edge.bestPass).toBe(800);
    expect(doc.verdict).toBe('api sustains 1,300/s within SLOs; edge sustains at least 800/s; above, bench was the limit (at 850/s), not the target');
    expect(exitCodeOf(doc)).toBe(3);
    // With a minimum the best pass proves: 800/s ≥ 500/s passes; 1,000/s cannot be told (exit 3).
    expect(exitCodeOf(buildDocument(twoTargets(), SETTINGS, 500))).toBe(0);
    expect(exitCodeOf(buildDocument(twoTargets(), SETTINGS, 1000))).toBe(3);
    expect(exitCodeOf(buildDocument(twoTargets(), SETTINGS, 1400))).toBe(1);
    matchGolden('capacity-two.md', blankTimes(capacityMarkdown(doc)));
  });

  it('the two-target verdict in the words of the issue when both were found', () => {
    const run = simulatedRun();
    const [api] = buildDocument(run, SETTINGS, null).targets;
    const other = { ...api!, name: 'microservices', capacity: 1000 };
    expect(verdictLine([{ ...api!, name: 'monolith' }, other], null)).toBe('monolith sustains 1,300/s within SLOs, microservices 1,000/s (−23%)');
  });

  it('redacts secrets from every string of the document', () => {
    const run = simulatedRun();
    run.targets[0]!.target = { name: 'api', url: 'http://tok3n-value@127.0.0.1:3000' };
    const doc = redactDocument(buildDocument(run, SETTINGS, null), makeRedactor(['tok3n-value']));
    expect(JSON.stringify(doc)).not.toContain('tok3n-value');
    expect(capacityMarkdown(doc)).not.toContain('tok3n-value');
  });
});
