// The contracts between bench's parts. Data flows one way:
//   scenario (YAML) → Plan → engine → samples → Aggregator → RunSummary → SLO evaluator → RunResult → reporters.
// Everything here is plain data or a pure function signature, so each part tests alone.

import type { Histogram } from './metrics/histogram.js';

/** Per-iteration variables: captures, data-row fields, `variables:` and setup captures (via the prototype chain). */
export type Vars = Record<string, unknown>;

// ───────────────────────────── Plan (what the engine runs) ─────────────────────────────

/** One open phase: arrivals per second, optionally ramping linearly to `rampTo`. */
export interface OpenPhase {
  kind: 'open';
  durationMs: number;
  /** arrivals per second at the start of the phase */
  rate: number;
  /** arrivals per second at the end of the phase; equals `rate` when not ramping */
  rampTo: number;
  /**
   * Segment `index` of `count` (bench run --segment/--workers): this generator sends only the full
   * schedule's arrivals k ≡ index (mod count), at their full-schedule times, so N segments together
   * reproduce one run's schedule exactly. Absent: every arrival.
   */
  stride?: { index: number; count: number };
}

/** One closed phase: `vus` users, each looping over flows, waiting `think` between iterations. */
export interface ClosedPhase {
  kind: 'closed';
  durationMs: number;
  vus: number;
  thinkMinMs: number;
  thinkMaxMs: number;
}

export type Phase = OpenPhase | ClosedPhase;

/** What a step sends, after templates were applied for one iteration. */
export interface RequestSpec {
  method: string;
  /** path and query, starting with '/', relative to the plan's target origin; or an absolute http(s) URL */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What `verify` sees of a response. `body` is null unless the step asked for it with `readBody`. */
export interface ResponseView {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string | null;
}

/** A failed expectation. `status`: the status was not accepted; `check`: any other expectation or capture. */
export interface Failure {
  kind: 'status' | 'check';
  /** short, stable name for reports, e.g. "status 200", "json $.id", "capture token" */
  check: string;
}

export interface RequestStep {
  kind: 'request';
  /** index into Plan.endpoints */
  endpoint: number;
  /** true when `verify` needs the body text (captures, json/contains checks, GraphQL errors) */
  readBody: boolean;
  /** true when the step captures values: if it fails, later steps would send garbage, so the iteration ends */
  captures: boolean;
  /** Build the request for this iteration. Pure apart from template functions like uuid(). */
  render(vars: Vars): RequestSpec;
  /** null when the response is accepted; writes captures into `vars`. Default accepts status < 400. */
  verify(res: ResponseView, vars: Vars): Failure | null;
}

export interface ThinkStep {
  kind: 'think';
  minMs: number;
  maxMs: number;
}

export type Step = RequestStep | ThinkStep;

export interface Flow {
  name: string;
  weight: number;
  steps: Step[];
}

export interface HttpOptions {
  /** total deadline per request (headers and body), ms */
  timeoutMs: number;
  /** connections per origin; undefined: closed model → max vus, open model → maxInFlight */
  connections?: number;
  /** open model: arrivals beyond this many in-flight iterations are counted as dropped */
  maxInFlight: number;
  graphqlPath: string;
  /** https: accept any certificate (self-signed staging servers); default false */
  insecure?: boolean;
}

export type SloOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Metric names: p<N> (e.g. p95, p99.9), min, mean, max, rps, requests, errors, error_rate, dropped. */
export interface SloSpec {
  /** as written by the user, e.g. "p95 < 200ms" */
  expr: string;
  /** endpoint name, or null for totals */
  endpoint: string | null;
  metric: string;
  op: SloOp;
  /** in the metric's unit: ms for latencies, a fraction (0.01) for error_rate, per second for rps, a count otherwise */
  threshold: number;
  abortOnFail: boolean;
  /** window for abortOnFail evaluation during the run, ms (0: whole run so far) */
  windowMs: number;
}

/**
 * Judges abortOnFail SLOs while a run goes: the engine side feeds it each finalised second (the run's
 * totals for that second and its live latency histogram) and asks after each second whether to stop.
 * Built by src/slo/abort.ts; the engine never imports the SLO code.
 */
export interface AbortJudge {
  addSecond(second: Pick<TimelinePoint, 'second' | 'requests' | 'errors' | 'dropped'>, latency: Histogram): void;
  /** the first abortOnFail SLO failing over its window, or null */
  failing(): SloSpec | null;
}

export interface Plan {
  name: string;
  /** absolute path of the scenario file ('' when built in code) */
  file: string;
  /** base URL, e.g. http://127.0.0.1:3000 (a path prefix is allowed) */
  target: string;
  http: HttpOptions;
  phases: Phase[];
  flows: Flow[];
  /** endpoint names, in first-seen order; RequestStep.endpoint indexes this */
  endpoints: string[];
  /** steps run once before the load; their captures are visible to every iteration */
  setup: Step[];
  slo: SloSpec[];
  /** true when the scenario had no `slo:` and the defaults apply */
  sloDefaults: boolean;
  /** Variables for iteration number `seq` (data rows, `variables:`), layered over `shared` (setup captures). */
  iterationVars(seq: number, shared: Vars): Vars;
  /** Values that must never appear in a report or log (env-substituted values, auth headers). */
  secrets: string[];
  /** optional safety ceiling on arrivals per second (scenario `maxRate` or --max-rate) */
  maxRate?: number;
  /** the scenario's `stream:` block, checked by the schema (src/stream/config.ts reads it) */
  stream?: { prometheus?: string; otlp?: string; interval?: string; labels?: Record<string, string>; histograms?: 'native' | 'classic' };
}

// ───────────────────────────── Result (result.json, schemaVersion 1) ─────────────────────────────

/**
 * Why a request (or an arrival) failed. `interrupted`: in flight when the run was stopped (its latency is a
 * lower bound). `dropped`: an arrival never sent (in-flight cap reached); it counts in error_rate.
 */
export type ErrorKind = 'timeout' | 'connect' | 'reset' | 'status' | 'check' | 'protocol' | 'interrupted' | 'other' | 'dropped';

export interface LatencyStats {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Stats {
  /** requests sent (each one the target may have seen) */
  requests: number;
  /** sent requests that failed (dropped arrivals are counted apart, in `dropped`) */
  errors: number;
  /**
   * users not served over users who arrived: (errors + dropped) / (requests + dropped). A dropped arrival
   * is a user the target never saw; it is also listed in errorKinds as `dropped`.
   */
  errorRate: number;
  /** requests per second of the load window (first scheduled arrival to the end of the last phase) */
  rps: number;
  dropped: number;
  statusCodes: Record<string, number>;
  errorKinds: Partial<Record<ErrorKind, number>>;
  /** failed checks by name, e.g. { "status 201": 3 } */
  checks: Record<string, number>;
  latencyMs: LatencyStats;
  serviceTimeMs: LatencyStats;
  /** latency histogram (µs), HdrHistogram compressed base64 */
  histogram: string;
  /** service-time histogram (µs), HdrHistogram compressed base64 */
  serviceHistogram: string;
}

export interface EndpointStats extends Stats {
  name: string;
}

export interface TimelinePoint {
  /** seconds since the start of the run */
  second: number;
  requests: number;
  errors: number;
  dropped: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** this second's latency histogram (µs), compressed base64: lets merges and the hlog stay lossless */
  histogram: string;
  /** true for the run's last second when it ended part-way through it (its counts cover `durationMs` only) */
  partial?: boolean;
  /** how much of this second the run covered, ms; set on a partial second */
  durationMs?: number;
}

export interface SloResult {
  expr: string;
  endpoint: string | null;
  metric: string;
  op: SloOp;
  /** null when the metric has no data (e.g. an endpoint that was never called) */
  actual: number | null;
  threshold: number;
  /** 'ms' | '%' | '/s' | '' — for display */
  unit: string;
  pass: boolean;
  /** true when this SLO comes from the defaults */
  isDefault: boolean;
  /** true when not judged here (a segment's absolute SLO: judged by `bench merge`) */
  deferred?: boolean;
  /** set with `deferred` when no one will judge it: the merge was partial ("partial: 3 of 4 segments") */
  notJudged?: string;
  /** the rest of the spec, so a merge judges exactly the SLO the run judged */
  abortOnFail?: boolean;
  windowMs?: number;
}

export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'bench'; version: string };
  scenario: string;
  target: string;
  startedAt: string;
  /**
   * the load window, ms: first scheduled arrival to the end of the last phase (or to the stop, when stopped
   * early). Rates (rps) are over this window.
   */
  durationMs: number;
  /** time spent after the load window waiting for the last responses, ms (0 or absent in old results) */
  drainMs?: number;
  /** 'open' when every phase is open, 'closed' when every phase is closed, else 'mixed' */
  model: 'open' | 'closed' | 'mixed';
  totals: Stats;
  endpoints: EndpointStats[];
  timeline: TimelinePoint[];
  /** how late the generator sent against the schedule (open model), ms */
  scheduleLagMs: { mean: number; p99: number; max: number };
  slo: SloResult[];
  sloDefaults: boolean;
  /** false when an SLO failed, no request succeeded, or the run was stopped early: see `reasons` */
  pass: boolean;
  /** why the run failed apart from its SLO rows (no request succeeded, stopped early), one sentence each */
  reasons?: string[];
  /** why the run ended early, if it did */
  stopReason?: 'interrupted' | 'slo-abort' | 'error';
  /** set when this run was segment index/count of a split load */
  segment?: { index: number; count: number };
  /** set by `bench merge`: the results it added */
  mergedFrom?: number;
  /**
   * sha256 (hex) of what this run was meant to do: the resolved load, flows, SLOs and HTTP options, the
   * scenario file's hash and the segment count N. Segments of one plan share it; `bench merge` refuses others.
   */
  fingerprint?: string;
  /** one split run's identity (the coordinator's, --run-id / BENCH_RUN_ID, or the fixed --start-at) */
  runId?: string;
  /**
   * set on a segment result rebuilt from what it flushed before it ended abnormally (killed, evicted):
   * its figures cover `durationMs` of the load only
   */
  incomplete?: { reason: string };
  /** set by `bench merge --allow-partial` when segments were missing or incomplete */
  partial?: {
    /** complete segments merged */
    segments: number;
    /** the split's segment count N */
    of: number;
    missing: number[];
    /** segments merged from what they flushed, or stopped early, with why */
    incomplete: Array<{ index: number; reason: string }>;
  };
}
