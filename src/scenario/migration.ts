// Users arrive from Artillery and k6 with their habits. A file that looks like theirs gets one line that
// maps their words onto bench's, instead of a list of "unknown key". Pure.

/** Their key → bench's, offered as "did you mean" when bench's key is allowed where theirs stood. */
export const FOREIGN_KEYS: Readonly<Record<string, string>> = {
  arrivalRate: 'rate',
  ensure: 'slo',
  thresholds: 'slo',
  scenarios: 'flows',
  phases: 'load',
  stages: 'load',
  flow: 'steps',
  maxVusers: 'vus',
  target: 'rampTo',
  payload: 'data',
  match: 'expect',
  pause: 'think',
};

type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One sentence when the document looks like an Artillery script or a k6 options object; null otherwise. */
export function migrationHint(doc: unknown): string | null {
  if (!isMap(doc)) return null;
  const config = isMap(doc.config) ? doc.config : null;
  const artillery = (config !== null && ('phases' in config || 'target' in config || 'ensure' in config)) || (Array.isArray(doc.scenarios) && doc.scenarios.some((s) => isMap(s) && 'flow' in s));
  if (artillery) {
    return (
      'this looks like an Artillery script: config.target → target, config.phases → load (arrivalRate → rate, ' +
      'duration: 60 → 60s, rampTo stays), scenarios → flows (flow → steps, think → { think: 1s }), ' +
      'capture json → capture, ensure → slo (p95: 200 → "p95 < 200ms"), payload → data (README "Coming from k6 / Artillery")'
    );
  }
  const options = isMap(doc.options) ? doc.options : doc;
  if ('thresholds' in options || 'stages' in options || ('vus' in options && !('load' in doc))) {
    return (
      'this looks like k6 options: stages → load phases ({ duration: 1m, vus: 10, rampTo: 100 } ramps users), ' +
      'vus/duration → a phase { duration: 30s, vus: 10 }, iterations → { iterations: 50, vus: 5 }, ' +
      'thresholds → slo ("p(95)<200" works as "p95 < 200ms", tagged: { expr, tags }), scenarios → flows'
    );
  }
  return null;
}
