// Applies a redactor to the human-readable strings of a RunResult before any reporter formats it:
// redacting *before* escaping catches secrets that escaping would disguise (a "&" in a token),
// and leaves the base64 histograms alone (a short secret could otherwise corrupt one).
import type { RunResult } from '../types.js';
import type { Redactor } from './redact.js';

const OPAQUE_KEYS = new Set(['histogram', 'serviceHistogram']);
// Maps whose keys are free text (check names can quote expected values).
const FREE_TEXT_KEY_MAPS = new Set(['checks']);

export function redactResult(result: RunResult, redact: Redactor | undefined): RunResult {
  if (!redact) return result;
  return redactValue(result, redact, false) as RunResult;
}

function redactValue(value: unknown, redact: Redactor, redactKeys: boolean): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, false));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const outKey = redactKeys ? redact(key) : key;
    const redacted = OPAQUE_KEYS.has(key) ? inner : redactValue(inner, redact, FREE_TEXT_KEY_MAPS.has(key));
    const previous = out[outKey];
    // Two check names that differ only by a secret become one masked name: keep both counts.
    out[outKey] = typeof previous === 'number' && typeof redacted === 'number' ? previous + redacted : redacted;
  }
  return out;
}
