// A/B: the same scenario against two deployments in alternating rounds, then their comparison.
// Rounds go A B B A A B …: each pair mirrors the last, so a steady drift of the machine (warming caches,
// a noisy neighbour ramping up) hits both targets equally, not just the one that runs second.
import { join, resolve } from 'node:path';
import type { RunResult } from '../types.js';
import { EXIT, UsageError } from '../errors.js';
import { compareResults, defaultRegressionBounds, parseRegressionBounds, sideBySideVerdict, type Comparison } from '../compare/index.js';
import { combineRounds } from '../merge/rounds.js';
import { makeRedactor, reporters } from '../report/index.js';
import { runScenario, type RunFlags } from './run-command.js';
import { emitComparison, reportNextTo } from './compare-command.js';
import { exitCodeAfterWriting, writeReports } from './write-reports.js';
import { defaultOutDir } from './out-dir.js';
import type { Console } from './console.js';

export interface NamedTarget {
  name: string;
  url: string;
}

const NAMED = /^([A-Za-z][\w.-]*)=(.+)$/;

/** `--target URL` once, or `--target NAME=URL` for each side of an A/B comparison. */
export function parseTargets(values: readonly string[]): { single?: string; named: NamedTarget[] } {
  if (values.length === 0) return { named: [] };
  const named = values.map((v) => NAMED.exec(v)).filter((m) => m && !/^https?:$/i.test(`${m[1]}:`));
  if (values.length === 1 && named.length === 0) return { single: values[0], named: [] };
  if (named.length !== values.length || values.length !== 2) {
    throw new UsageError('for an A/B run give exactly two --target NAME=URL (e.g. --target mono=http://127.0.0.1:3000 --target micro=http://127.0.0.1:3001)');
  }
  const targets = named.map((m) => ({ name: m![1]!, url: m![2]! }));
  if (targets[0]!.name === targets[1]!.name) throw new UsageError(`the two targets need different names (both are "${targets[0]!.name}")`);
  return { named: targets };
}

export interface AbFlags extends RunFlags {
  rounds?: string;
  maxRegression?: string;
}

export interface AbOutcome {
  combined: RunResult[];
  comparison: Comparison;
  outDir: string;
  interrupted: boolean;
  /** a side's result.json or comparison.json could not be written (a full disk): logged already */
  recordMissing: boolean;
}

/** Exit codes: 130 interrupted; 1 an SLO failed on either side or the comparison found a regression; else 0. */
export async function abCommand(file: string, targets: NamedTarget[], flags: AbFlags, io: Console): Promise<number> {
  const outcome = await runAb(file, targets, flags, io);
  return abExitCode(outcome);
}

export function abExitCode(outcome: Pick<AbOutcome, 'interrupted' | 'combined' | 'comparison' | 'recordMissing'>): number {
  if (outcome.interrupted) return EXIT.interrupted;
  if (!outcome.combined.every((r) => r.pass)) return EXIT.sloFailed;
  if (outcome.comparison.overall.regressed) return EXIT.sloFailed;
  return outcome.recordMissing ? EXIT.runFailed : EXIT.ok;
}

export async function runAb(file: string, targets: NamedTarget[], flags: AbFlags, io: Console, label = 'ab'): Promise<AbOutcome> {
  const rounds = roundCount(flags.rounds);
  // Read before any load is sent: a typo in the bound must not cost the user every round first.
  const bounds = flags.maxRegression ? parseRegressionBounds(flags.maxRegression) : defaultRegressionBounds();
  const outDir = resolve(flags.out ?? `${defaultOutDir(label, Date.now())}`);
  const perTarget = new Map<string, RunResult[]>(targets.map((t) => [t.name, []]));
  const secrets = new Set<string>();
  let interrupted = false;
  for (let r = 0; r < rounds && !interrupted; r++) {
    for (const target of roundOrder(targets, r)) {
      const roundFlags: RunFlags = { ...flags, target: target.url, out: join(outDir, target.name, `round-${r + 1}`), json: false, quiet: true, noCiPublish: true };
      if (!flags.quiet) io.err(`bench: round ${r + 1}/${rounds} · ${target.name} (${target.url})`);
      const { result, secrets: roundSecrets } = await runScenario(file, roundFlags, io, target.name);
      roundSecrets.forEach((s) => secrets.add(s));
      perTarget.get(target.name)!.push(result);
      if (!flags.quiet) io.err(`        ${roundLine(result)}`);
      if (result.stopReason === 'interrupted') {
        interrupted = true;
        break;
      }
    }
  }
  const redact = makeRedactor([...secrets]);
  const combined = targets.map((t) => combineRounds(perTarget.get(t.name)!, t.name));
  let recordMissing = false;
  combined.forEach((result, i) => {
    const reports = writeReports(result, { outDir: join(outDir, targets[i]!.name), redact, env: io.env, log: io.err });
    if (exitCodeAfterWriting(EXIT.ok, reports) !== EXIT.ok) recordMissing = true;
    if (!flags.quiet && !flags.json) io.err(`\n── ${targets[i]!.name} (${rounds} round${rounds === 1 ? '' : 's'}) ──\n${reporters.terminal(result, { color: flags.color, redact })}`);
  });
  const [a, b] = targets as [NamedTarget, NamedTarget];
  const comparison = compareResults(combined[0]!, combined[1]!, {
    bounds,
    baseLabel: a.name,
    headLabel: b.name,
    rounds: { base: perTarget.get(a.name)!, head: perTarget.get(b.name)! },
  });
  const reports = { base: reportNextTo(join(outDir, a.name, 'result.json')), head: reportNextTo(join(outDir, b.name, 'result.json')) };
  if (!emitComparison(comparison, { json: flags.json, out: outDir, color: flags.color, reports }, io)) recordMissing = true;
  if (!flags.quiet) io.err(sideBySideVerdict(comparison));
  if (!flags.quiet) io.err(`bench: reports and comparison written to ${outDir}`);
  return { combined, comparison, outDir, interrupted, recordMissing };
}

/** A B, then B A, then A B …: mirrored pairs cancel a linear drift. */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...targets] : [...targets].reverse();
}

function roundCount(text: string | undefined): number {
  const n = Number(text ?? 3);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--rounds: "${text}" is not a whole number from 1 to 100`);
  return n;
}

function roundLine(r: RunResult): string {
  const t = r.totals;
  return `${t.requests} requests · ${t.rps.toFixed(1)} req/s · p50 ${t.latencyMs.p50.toFixed(2)} ms · p95 ${t.latencyMs.p95.toFixed(2)} ms · p99 ${t.latencyMs.p99.toFixed(2)} ms · errors ${(t.errorRate * 100).toFixed(2)}%`;
}
