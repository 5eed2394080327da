// `load:` phases → Phase values (the schema already checked shapes and formats).
import type { Phase } from '../types.js';
import type { FieldPath, ProblemSink } from './problems.js';
import { parseDuration, parseRate } from './units.js';

export function compilePhases(load: unknown, problems: ProblemSink): Phase[] {
  if (!Array.isArray(load)) return [];
  return load.flatMap((raw, index) => {
    const phase = compilePhase(raw, ['load', index], problems);
    return phase ? [phase] : [];
  });
}

function compilePhase(raw: unknown, path: FieldPath, problems: ProblemSink): Phase | null {
  if (raw === null || typeof raw !== 'object') return null;
  const spec = raw as Record<string, unknown>;
  const name = typeof spec.name === 'string' ? { name: spec.name } : {};
  if (spec.iterations !== undefined) return compileIterationsPhase(spec, path, problems, name);
  const durationMs = parseDuration(spec.duration);
  if (durationMs === null) return null;
  if (durationMs === 0) problems.add([...path, 'duration'], 'must be longer than 0');
  if (spec.vus !== undefined) {
    const think = checkThink(spec.think ?? 0, [...path, 'think'], problems);
    if (!Number.isInteger(spec.vus) || !think) return null;
    const vus = spec.vus as number;
    const rampTo = Number.isInteger(spec.rampTo) ? (spec.rampTo as number) : undefined;
    if (vus === 0 && !rampTo) problems.add([...path, 'vus'], 'vus and rampTo are both 0: the phase would send nothing');
    const grace = spec.gracefulRampDown === undefined ? null : parseDuration(spec.gracefulRampDown);
    return {
      kind: 'closed',
      durationMs,
      vus,
      ...(rampTo === undefined || rampTo === vus ? {} : { rampTo }),
      thinkMinMs: think.minMs,
      thinkMaxMs: think.maxMs,
      ...(grace === null ? {} : { gracefulRampDownMs: grace }),
      ...name,
    };
  }
  const rate = parseRate(spec.rate);
  const rampTo = spec.rampTo === undefined ? rate : parseRate(spec.rampTo);
  if (rate === null || rampTo === null) return null;
  if (rate === 0 && rampTo === 0) problems.add([...path, 'rate'], 'rate and rampTo are both 0: the phase would send nothing');
  return { kind: 'open', durationMs, rate, rampTo, ...name };
}

/** k6's default maxDuration of an iterations scenario. */
export const DEFAULT_MAX_DURATION_MS = 10 * 60_000;

/** `{ iterations: 50, vus: 5 }`: 50 iterations shared among 5 users; `perVu: true`: 50 each. */
function compileIterationsPhase(spec: Record<string, unknown>, path: FieldPath, problems: ProblemSink, name: { name?: string }): Phase | null {
  const think = checkThink(spec.think ?? 0, [...path, 'think'], problems);
  const maxMs = spec.maxDuration === undefined ? DEFAULT_MAX_DURATION_MS : parseDuration(spec.maxDuration);
  if (!Number.isInteger(spec.iterations) || !think || maxMs === null) return null;
  if (maxMs === 0) problems.add([...path, 'maxDuration'], 'must be longer than 0');
  const vus = Number.isInteger(spec.vus) ? (spec.vus as number) : 1;
  const count = spec.iterations as number;
  return { kind: 'closed', durationMs: maxMs, vus, thinkMinMs: think.minMs, thinkMaxMs: think.maxMs, iterations: { count, perVu: spec.perVu === true }, ...name };
}

/** "50ms" or "50ms..200ms" → a uniform range in ms; null when malformed or reversed. */
export function parseThink(input: unknown): { minMs: number; maxMs: number } | null {
  if (typeof input === 'string' && input.includes('..')) {
    const [low, high] = input.split('..').map((part) => parseDuration(part.trim()));
    if (low === null || high === null || low === undefined || high === undefined || high < low) return null;
    return { minMs: low, maxMs: high };
  }
  const ms = parseDuration(input);
  return ms === null ? null : { minMs: ms, maxMs: ms };
}

/** Reports a reversed range, which the schema pattern cannot see. */
export function checkThink(input: unknown, path: FieldPath, problems: ProblemSink): { minMs: number; maxMs: number } | null {
  const think = parseThink(input);
  if (!think && typeof input === 'string' && input.includes('..')) problems.add(path, `"${input}": the range must go from low to high`);
  return think;
}
