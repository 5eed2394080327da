// Durations ("500ms", "30s", "1m30s", "1h") and rates ("100/s", "6000/m", "100") as numbers.

const DURATION_UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)/g;

/** Go-style duration → milliseconds; a bare number is milliseconds. null when malformed. */
export function parseDuration(input: unknown): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : null;
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!DURATION.test(text)) return null;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * DURATION_UNIT_MS[unit!]!;
  return ms;
}

const RATE = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour))?$/;
const RATE_UNIT_S: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** "100/s", "6000/m", "30/10s" → per second; a bare number is per second. null when malformed. */
export function parseRate(input: unknown): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : null;
  if (typeof input !== 'string') return null;
  const m = RATE.exec(input.trim());
  if (!m) return null;
  const per = m[3] ? RATE_UNIT_S[m[3]]! * (m[2] ? Number(m[2]) : 1) : 1;
  if (per === 0) return null;
  return Number(m[1]) / per;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m}m${rest}s` : `${m}m`;
}
