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
  /** shown in reports and the timeline */
  name?: string;
}

/**
 * One closed phase: `vus` users, each looping over flows, waiting `think` between iterations. With `rampTo`
 * the users are started (or stopped) one by one, linearly, to `rampTo` at the end of the phase. With
 * `iterations` the phase ends when that many iterations are done, `durationMs` being its longest duration.
 */
export interface ClosedPhase {
  kind: 'closed';
  /** the phase's length; with `iterations`, its maximum (maxDuration) */
  durationMs: number;
  /** users at the start of the phase */
  vus: number;
  /** users at the end of the phase (ramping virtual users); absent: `vus` throughout */
  rampTo?: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  /** a user stopped by a ramp-down finishes its iteration within this grace, then starts no new step (default: one request timeout) */
  gracefulRampDownMs?: number;
  /**
   * a fixed number of iterations: `count` shared among the users (k6 shared-iterations) or `count` for
   * each user (`perVu`, k6 per-vu-iterations)
   */
  iterations?: { count: number; perVu: boolean };
  /** shown in reports and the timeline */
  name?: string;
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

/** One failed check as it happened: what was expected, what came back (result.json `endpoints[].failures`). */
export interface FailureSample {
  /** the check's name, as in `checks` */
  check: string;
  /** e.g. `2 (number)` */
  expected: string;
  /** e.g. `"2" (string)` */
  actual: string;
  /** the response status */
  status: number;
  /** the start of the response body, trimmed (values of secret-looking fields masked) */
  body?: string;
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
  /** Why `verify` returned `failure` for this response: expected and actual. Off the hot path (only the first few failures). */
  explain?(res: ResponseView, vars: Vars, failure: Failure): FailureSample;
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
  /** a response head's size limit, bytes (default 16 KB) */
  maxHeaderSize?: number;
  /** accept-encoding sent and bodies decoded: true for every step, false never, undefined for steps reading the body */
  compression?: boolean;
  /** the cookie jar: 'on' (default, emptied per iteration), 'keep' (kept per virtual user), 'off' */
  cookies?: 'on' | 'keep' | 'off';
  /** redirects followed per request (default 0: not followed) */
  redirects?: number;
  /** https: absolute paths of PEM files, and the TLS server name */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  /** '1.1', '2' (https: h2 over ALPN, streams multiplexed; http: h2c by prior knowledge) or 'auto' (default: ALPN over TLS) */
  version?: '1.1' | '2' | 'auto';
  /** HTTP/1.1 pipelining depth for idempotent requests (default 1: none). A benchmark mode: latency then includes head-of-line waiting */
  pipelining?: number;
  /** HTTP/2: concurrent streams per connection (default 100) */
  maxStreams?: number;
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
  /** judged over the endpoints carrying every one of these tags (k6 sub-metric thresholds) */
  tags?: Record<string, string>;
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
  /** `tags:` of each endpoint (its steps' and their flows'), by endpoint index; absent: no tags anywhere */
  endpointTags?: Array<Record<string, string>>;
  /** steps run once before the load; their captures are visible to every iteration */
  setup: Step[];
  slo: SloSpec[];
  /** true when the scenario had no `slo:` and the defaults apply */
  sloDefaults: boolean;
  /** Variables for iteration number `seq` (data rows, `variables:`), layered over `shared` (setup captures). */
  iterationVars(seq: number, shared: Vars): Vars;
  /** things worth saying that are not errors, e.g. two steps sharing one name (bench validate and run print them) */
  warnings?: string[];
  /** Values that must never appear in a report or log (env-substituted values, auth headers). */
  secrets: string[];
  /** after the last phase, iterations under way finish within this grace (default: one request timeout + 1 s) */
  gracefulStopMs?: number;
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
export type ErrorKind = 'timeout' | 'connect' | 'reset' | 'status' | 'check' | 'protocol' | 'redirect' | 'interrupted' | 'other' | 'dropped';

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
  /** the `tags:` of its steps (and their flows) */
  tags?: Record<string, string>;
  /** the first few failures of each failed check, with expected and actual values */
  failures?: FailureSample[];
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
  /** the name of the phase under way at the start of this second (when the scenario named its phases) */
  phase?: string;
}

/** One phase as it ran: where it began and how long it lasted (an `iterations` phase ends when they are done). */
export interface PhaseRun {
  /** the phase's `name`, or "phase N" */
  name: string;
  kind: 'open' | 'closed';
  /** since the start of the run, ms */
  startMs: number;
  durationMs: number;
  /** iterations started in the phase */
  iterations: number;
  /** open phase: the planned arrivals per second at its start and end (this generator's share) */
  rate?: number;
  /** closed phase: the users at its start; rampTo: at its end (open: the rate at its end) */
  vus?: number;
  rampTo?: number;
}

/** One flow's iterations (k6 iterations and iteration_duration, per flow): result.json `flows[]`. */
export interface FlowStats {
  name: string;
  /** iterations started */
  iterations: number;
  /** iterations that ran every step without a failure that ends them */
  completed: number;
  /** iterations started per second of the load window */
  perSecond: number;
  /** how long completed iterations took, start to end, think time included */
  durationMs: LatencyStats;
  /** the durations' histogram (µs), HdrHistogram compressed base64 */
  histogram: string;
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
  /** a tagged SLO: judged over the endpoints carrying these tags */
  tags?: Record<string, string>;
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
  scheduleLagMs: { mean: number; p50?: number; p99: number; max: number };
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
   * the HTTP layer: which client ('lean' HTTP/1.1 or 'undici'), the protocol each endpoint was answered
   * over ('h1' or 'h2') and the redirects it followed, and the requests retried once on a fresh
   * connection after a reused keep-alive connection was found closed by the server
   */
  http?: { client: 'lean' | 'undici'; retries: number; endpoints: Record<string, { protocol: string; redirects: number }> };
  /** the phases as they ran, in order */
  phases?: PhaseRun[];
  /** per flow: iterations and their durations */
  flows?: FlowStats[];
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
