// Command-line overrides of a scenario's target and load (--target, --rate, --vus, --duration, --max-rate)
// and run-wide tags (--tag k=v).
import type { Phase, Plan } from '../types.js';
import { UsageError } from '../errors.js';
import { parseDuration, parseRate } from './units.js';

export interface LoadOverrides {
  target?: string;
  rate?: string;
  vus?: string;
  duration?: string;
  maxRate?: string;
  /** --tag KEY=VALUE, repeatable: on every step, over a scenario tag of the same key */
  tags?: string[];
}

const DEFAULT_OVERRIDE_DURATION_MS = 10_000;

export function applyOverrides(plan: Plan, o: LoadOverrides): Plan {
  const target = o.target ?? plan.target;
  if (!target) throw new UsageError(`no target: set "target:" in ${plan.file || 'the scenario'} or pass --target URL`);
  checkTarget(target);
  const maxRate = o.maxRate !== undefined ? positiveNumber('--max-rate', o.maxRate) : plan.maxRate;
  const phases = overridePhases(plan.phases, o);
  const runTags = parseTagFlags(o.tags ?? []);
  const result: Plan = { ...plan, target: target.replace(/\/+$/, ''), phases, maxRate, ...withRunTags(plan, runTags) };
  checkMaxRate(result);
  return result;
}

/** `--tag KEY=VALUE`s → one map (a later KEY wins); bad syntax is a usage error naming the flag. */
export function parseTagFlags(values: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const text of values) {
    const at = text.indexOf('=');
    const key = at > 0 ? text.slice(0, at).trim() : '';
    const value = at > 0 ? text.slice(at + 1) : '';
    if (key === '' || value === '') throw new UsageError(`--tag "${text}": write KEY=VALUE (e.g. --tag env=staging)`);
    tags[key] = value;
  }
  return tags;
}

/** Run-wide tags, as if on every step: a command-line tag wins over a step's or flow's tag of the same key. */
function withRunTags(plan: Plan, runTags: Record<string, string>): Pick<Plan, 'endpointTags'> | Record<string, never> {
  if (Object.keys(runTags).length === 0) return {};
  return { endpointTags: plan.endpoints.map((_, i) => ({ ...plan.endpointTags?.[i], ...runTags })) };
}

function overridePhases(phases: Phase[], o: LoadOverrides): Phase[] {
  if (o.rate !== undefined && o.vus !== undefined) throw new UsageError('--rate (open model) and --vus (closed model) exclude each other');
  const durationMs = o.duration !== undefined ? durationOf(o.duration) : undefined;
  const whole = durationMs ?? (phases.reduce((sum, p) => sum + p.durationMs, 0) || DEFAULT_OVERRIDE_DURATION_MS);
  if (o.rate !== undefined) {
    const rate = parseRate(o.rate);
    if (rate === null || rate <= 0) throw new UsageError(`--rate: cannot read "${o.rate}" (e.g. 100 or 100/s or 6000/m)`);
    return [{ kind: 'open', rate, rampTo: rate, durationMs: whole }];
  }
  if (o.vus !== undefined) {
    const vus = positiveNumber('--vus', o.vus);
    if (!Number.isInteger(vus)) throw new UsageError(`--vus: "${o.vus}" is not a whole number`);
    return [{ kind: 'closed', vus, durationMs: whole, thinkMinMs: 0, thinkMaxMs: 0 }];
  }
  if (durationMs === undefined) return phases;
  if (phases.length !== 1) throw new UsageError('--duration alone needs a scenario with one phase; add --rate or --vus');
  return [{ ...phases[0]!, durationMs }];
}

function durationOf(text: string): number {
  if (/^\s*\d+(\.\d+)?\s*$/.test(text) && Number(text) !== 0) throw new UsageError(`--duration: "${text}" needs a unit, e.g. ${text}s or ${text}ms`);
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--duration: cannot read "${text}" (e.g. 30s, 1m30s, 500ms)`);
  return ms;
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: "${text}" is not a positive number`);
  return n;
}

/** --target as typed: "127.0.0.1:8080" (no scheme) gets the likely fix, on the command line. */
export function checkTargetFlag(target: string): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new UsageError(`--target "${target}" is not an http(s) URL (did you mean http://${target.replace(/^\/+/, '')}?)`);
  }
  checkTarget(target);
}

export function checkTarget(target: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`target "${target}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`target "${target}": only http:// and https:// are supported`);
  if (url.username || url.password) throw new UsageError('target: credentials in the URL are not sent; use http.headers (authorization: "Basic ${CREDENTIALS}")');
}

/** A typo must not send 100,000 requests/s: refuse phases above the scenario's or --max-rate's ceiling. */
function checkMaxRate(plan: Plan): void {
  if (plan.maxRate === undefined) return;
  for (const p of plan.phases) {
    const peak = p.kind === 'open' ? Math.max(p.rate, p.rampTo) : 0;
    if (peak > plan.maxRate) throw new UsageError(`load of ${peak}/s exceeds the ceiling of ${plan.maxRate}/s (maxRate / --max-rate); raise it if you mean it`);
  }
}
