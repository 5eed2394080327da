// The capacity search's shell: runs each probe the policy asks for, as a short open-model run of the
// scenario at one rate (the same plan preparation and engine as `bench run`), then cools down.
// Several targets are searched interleaved, probe by probe, so a drift of the machine hits them all.
import { availableParallelism } from 'node:os';
import type { Plan } from '../types.js';
import { executeInProcess, executeInWorkers, type Execution } from '../engine/execute.js';
import { preparePlan } from '../scenario/prepare.js';
import type { LoadOverrides } from '../scenario/overrides.js';
import { conclude, nextProbe, type Outcome, type ProbeKind, type ProbeRecord, type SearchConfig } from './policy.js';
import { judgeProbe, judgeSlos, probeFigures, requestsPerArrival, type ProbeReport } from './probe.js';

export interface SearchTarget {
  /** short name for reports ("monolith"); the URL when only one target was given */
  name: string;
  url: string;
}

export interface SearchSettings extends SearchConfig {
  /** measured window of a probe, whole seconds */
  stepSeconds: number;
  /** measured window of a confirmation run, whole seconds */
  confirmSeconds: number;
  /** run before each probe's window at the same rate, not measured, whole seconds */
  warmupSeconds: number;
  /** pause after a probe's last response before the next probe, ms */
  coolDownMs: number;
  /** the whole search stops before a probe that could not finish by then, ms */
  maxTimeMs: number;
  /** worker threads per probe (1: in this thread) */
  workers: number;
}

export interface TargetSearch {
  target: SearchTarget;
  probes: ProbeReport[];
  outcome: Outcome;
}

export interface SearchRun {
  targets: TargetSearch[];
  startedAt: number;
  durationMs: number;
  /** why the search ended before every target's search concluded */
  stopReason?: 'max-time' | 'interrupted';
  /** the plan of the first target (its SLOs, name), for the reports */
  plan: Plan;
}

export interface SearchHooks {
  /** after every probe (the live line) */
  onProbe?(target: SearchTarget, probe: ProbeReport): void;
  /** receives a function that stops the search (Ctrl-C): the running probe ends, the rest is reported */
  onStart?(stop: () => void): void;
}

/** Scenario file + settings → every target's probes and conclusion. Bad input throws before any load. */
export async function runSearch(file: string, env: Record<string, string | undefined>, targets: SearchTarget[], settings: SearchSettings, hooks: SearchHooks = {}): Promise<SearchRun> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const plans = await Promise.all(targets.map((t) => preparePlan(file, env, overridesFor(t, settings.from, settings.warmupSeconds + settings.stepSeconds))));
  const states = targets.map((target) => ({ target, history: [] as ProbeRecord[], probes: [] as ProbeReport[], outcome: null as Outcome | null }));
  let stopReason: SearchRun['stopReason'];
  let current: Execution | null = null;
  let wakeCoolDown: (() => void) | null = null;
  hooks.onStart?.(() => {
    stopReason = 'interrupted';
    current?.stop('interrupted');
    wakeCoolDown?.();
  });

  const probeOnce = async (state: (typeof states)[number], rate: number, kind: ProbeKind): Promise<ProbeReport | null> => {
    const windowSeconds = kind === 'confirm' ? settings.confirmSeconds : settings.stepSeconds;
    const overrides = overridesFor(state.target, rate, settings.warmupSeconds + windowSeconds);
    const plan = await preparePlan(file, env, overrides);
    if (stopReason) return null;
    const atMs = performance.now() - t0;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const measure = { measureFromSecond: settings.warmupSeconds };
    current =
      settings.workers > 1
        ? executeInWorkers(plan, { file, env, overrides: { ...overrides }, }, settings.workers, measure)
        : executeInProcess(plan, undefined, measure);
    const ran = await current.done;
    current = null;
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    if (ran.engine.stopReason === 'interrupted') return null;
    const figures = probeFigures(ran.summary, {
      offeredRate: rate,
      warmupSeconds: settings.warmupSeconds,
      windowSeconds,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      cores: generatorCores(settings.workers),
      requestsPerArrival: requestsPerArrival(plan),
    });
    const judgement = judgeProbe(figures, judgeSlos(plan, ran.summary));
    return { index: state.probes.length + 1, kind, atMs: Math.round(atMs), ...figures, ...judgement, pass: judgement.verdict === 'pass', generatorLimited: judgement.verdict === 'limited' };
  };

  const coolDown = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wakeCoolDown = null;
        resolve();
      }, settings.coolDownMs);
      wakeCoolDown = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  for (let round = 0; !stopReason && states.some((s) => !s.outcome); round++) {
    // A B, then B A: each pair mirrors the last, so a steady drift hits every target alike.
    const order = round % 2 === 0 ? states : [...states].reverse();
    for (const state of order) {
      if (state.outcome || stopReason) continue;
      const next = nextProbe(settings, state.history);
      if (next.type === 'done') {
        state.outcome = next.outcome;
        continue;
      }
      const windowSeconds = next.kind === 'confirm' ? settings.confirmSeconds : settings.stepSeconds;
      const estimateMs = (settings.warmupSeconds + windowSeconds) * 1000 + settings.coolDownMs + 500;
      if (performance.now() - t0 + estimateMs > settings.maxTimeMs) {
        stopReason = 'max-time';
        break;
      }
      const probe = await probeOnce(state, next.rate, next.kind);
      if (!probe) break;
      state.probes.push(probe);
      state.history.push({ rate: next.rate, kind: next.kind, verdict: probe.verdict });
      hooks.onProbe?.(state.target, probe);
      if (!stopReason) await coolDown();
    }
  }
  return {
    targets: states.map((s) => ({ target: s.target, probes: s.probes, outcome: s.outcome ?? conclude(s.history, 'stopped') })),
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    stopReason,
    plan: plans[0]!,
  };
}

function overridesFor(target: SearchTarget, rate: number, seconds: number): LoadOverrides {
  return { target: target.url, rate: String(rate), duration: `${seconds}s` };
}

/** In one thread the main thread is the generator; with workers, each worker is (capped at the cores there are). */
function generatorCores(workers: number): number {
  return workers > 1 ? Math.min(workers, availableParallelism()) : 1;
}
