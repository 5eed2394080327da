// `bench capacity`: flags → a capacity search (src/capacity/) → capacity.json/.md/.html + junit.xml → exit code.
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { preparePlan } from '../scenario/prepare.js';
import { parseDuration, parseRate } from '../scenario/units.js';
import { makeRedactor } from '../report/redact.js';
import { buildDocument, exitCodeOf, rateText, redactDocument, type CapacityDocument } from '../capacity/document.js';
import { capacityMarkdown } from '../capacity/markdown.js';
import { capacityHtml } from '../capacity/html.js';
import { capacityJunit } from '../capacity/junit.js';
import { probeLine } from '../capacity/terminal.js';
import { runSearch, type SearchSettings, type SearchTarget } from '../capacity/run.js';
import { parseTargets } from './ab-command.js';
import { writeFileAtomic } from './atomic.js';
import { prepareOutDir } from './out-dir.js';
import { onInterrupt } from './signals.js';
import { describeTarget, preflight } from './target.js';
import type { Console } from './console.js';

export interface CapacityFlags {
  target: string[];
  from?: string;
  max?: string;
  step?: string;
  warmUp?: string;
  coolDown?: string;
  precision?: string;
  maxTime?: string;
  minCapacity?: string;
  workers?: string;
  out?: string;
  json?: boolean;
}

export const CAPACITY_FILES = { json: 'capacity.json', md: 'capacity.md', html: 'capacity.html', junit: 'junit.xml' } as const;

export async function capacityCommand(file: string, flags: CapacityFlags, io: Console): Promise<number> {
  const outcome = await runCapacity(file, flags, io);
  return outcome.exitCode;
}

export async function runCapacity(file: string, flags: CapacityFlags, io: Console, label = 'capacity'): Promise<{ doc: CapacityDocument; outDir: string; exitCode: number }> {
  const scenarioFile = resolve(file);
  const settings = settingsFrom(flags);
  const minCapacity = flags.minCapacity === undefined ? null : rateFlag('--min-capacity', flags.minCapacity);
  const parsed = parseTargets(flags.target ?? []);
  const wanted = parsed.named.length > 0 ? parsed.named : [{ name: '', url: parsed.single }];
  // Validate the scenario (and each target) before any load: bad input is exit 2, at once.
  const plans = await Promise.all(
    wanted.map((t) => preparePlan(scenarioFile, io.env, { target: t.url, rate: String(settings.from), duration: `${settings.warmupSeconds + settings.stepSeconds}s` })),
  );
  const plan = plans[0]!;
  const targets: SearchTarget[] = wanted.map((t, i) => ({ name: t.name || plans[i]!.target, url: plans[i]!.target }));
  const redact = makeRedactor(plans.flatMap((p) => p.secrets));
  const log = (line: string): void => io.err(redact(line));
  if (plan.maxRate !== undefined && settings.max > plan.maxRate) {
    log(`bench capacity: --max ${rateText(settings.max)} is above the scenario's ceiling (maxRate ${rateText(plan.maxRate)}); searching up to ${rateText(plan.maxRate)}`);
    settings.max = plan.maxRate;
  }
  const outDir = prepareOutDir(flags.out, `${label}-${plan.name}`, Date.now());
  for (const t of targets) {
    const note = await describeTarget(t.url);
    if (note) log(note);
    await preflight(t.url, plans[0]!.http.timeoutMs);
  }
  log(
    `bench capacity: ${targets.map((t) => t.name).join(' and ')} — from ${rateText(settings.from)} up to ${rateText(settings.max)}, probes of ${settings.stepSeconds} s after a ${settings.warmupSeconds} s warm-up, precision ${Math.round(settings.precision * 1000) / 10}%, at most ${Math.round(settings.maxTimeMs / 1000)} s`,
  );

  let release: () => void = () => undefined;
  let run;
  try {
    run = await runSearch(scenarioFile, io.env, targets, settings, {
      onProbe: (target, probe) => log(probeLine(targets.length > 1 ? target.name : null, probe)),
      onStart: (stop) => {
        release = onInterrupt(
          () => {
            log('bench capacity: stopping — ending the running probe and writing what was probed (Ctrl-C again to quit at once)');
            stop();
          },
          () => io.exitNow(EXIT.interrupted),
        );
      },
    });
  } finally {
    release();
  }
  const doc = redactDocument(buildDocument(run, settings, minCapacity), redact);
  writeCapacityReports(doc, outDir, plan.slo, io.env, log);
  if (flags.json) io.out(JSON.stringify(doc, null, 2));
  for (const t of doc.targets) log(`bench capacity: ${t.name} ${t.message}`);
  for (const hint of new Set(doc.targets.flatMap((t) => (t.hint ? [t.hint] : [])))) log(`bench capacity: hint: ${hint}`);
  if (doc.targets.length > 1 || minCapacity !== null) log(`bench capacity: ${doc.verdict}`);
  if (doc.stopReason === 'max-time') log('bench capacity: stopped at --max-time; the figures are the bracket found so far');
  log(`bench capacity: reports written to ${outDir}`);
  const exitCode = doc.stopReason === 'interrupted' ? EXIT.interrupted : exitCodeOf(doc);
  return { doc, outDir, exitCode };
}

function writeCapacityReports(doc: CapacityDocument, outDir: string, slo: Parameters<typeof capacityHtml>[1], env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  const md = capacityMarkdown(doc);
  writeFileAtomic(join(outDir, CAPACITY_FILES.json), JSON.stringify(doc, null, 2) + '\n');
  writeFileAtomic(join(outDir, CAPACITY_FILES.md), md);
  writeFileAtomic(join(outDir, CAPACITY_FILES.html), capacityHtml(doc, slo));
  writeFileAtomic(join(outDir, CAPACITY_FILES.junit), capacityJunit(doc));
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, md + '\n');
    } catch (err) {
      log(`bench capacity: could not append to GITHUB_STEP_SUMMARY: ${(err as Error).message}`);
    }
  }
}

const DEFAULTS = { from: '10/s', max: '50000/s', step: '10s', coolDown: '1s', precision: '5%', maxTime: '10m' };

export function settingsFrom(flags: CapacityFlags): SearchSettings {
  const from = rateFlag('--from', flags.from ?? DEFAULTS.from);
  const max = rateFlag('--max', flags.max ?? DEFAULTS.max);
  if (max < from) throw new UsageError(`--max ${rateText(max)} is below --from ${rateText(from)}`);
  const stepSeconds = wholeSeconds('--step', flags.step ?? DEFAULTS.step, 1);
  const warmupSeconds = flags.warmUp === undefined ? Math.min(5, Math.max(1, Math.round(stepSeconds / 5))) : wholeSeconds('--warm-up', flags.warmUp, 0);
  const coolDownMs = durationFlag('--cool-down', flags.coolDown ?? DEFAULTS.coolDown, true);
  const maxTimeMs = durationFlag('--max-time', flags.maxTime ?? DEFAULTS.maxTime, false);
  const precision = precisionFlag(flags.precision ?? DEFAULTS.precision);
  const workers = flags.workers === undefined ? 1 : Number(flags.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers: "${flags.workers}" is not a whole number from 1 to 64`);
  return { from, max, precision, stepSeconds, confirmSeconds: 2 * stepSeconds, warmupSeconds, coolDownMs, maxTimeMs, workers };
}

function rateFlag(flag: string, text: string): number {
  const rate = parseRate(text);
  if (rate === null || !(rate > 0)) throw new UsageError(`${flag}: cannot read "${text}" as a rate (e.g. 100/s, 100 or 6000/m)`);
  return rate;
}

function durationFlag(flag: string, text: string, zeroOk: boolean): number {
  if (/^\s*\d+(\.\d+)?\s*$/.test(text) && Number(text) !== 0) throw new UsageError(`${flag}: "${text}" needs a unit, e.g. ${text}s`);
  const ms = parseDuration(text);
  if (ms === null || ms < 0 || (!zeroOk && ms === 0)) throw new UsageError(`${flag}: cannot read "${text}" as a duration (e.g. 10s, 2m, 500ms)`);
  return ms;
}

/** Probe windows are whole seconds: the figures are cut at the engine's one-second intervals. */
function wholeSeconds(flag: string, text: string, min: number): number {
  const ms = durationFlag(flag, text, min === 0);
  if (ms % 1000 !== 0 || ms / 1000 < min) throw new UsageError(`${flag}: "${text}" must be whole seconds${min > 0 ? `, at least ${min}s` : ''} (e.g. 10s)`);
  return ms / 1000;
}

function precisionFlag(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(value > 0 && value < 1)) throw new UsageError(`--precision: "${text}" must be a percentage between 0 and 100 (e.g. 5%)`);
  return value;
}
