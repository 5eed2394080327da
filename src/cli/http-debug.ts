// "Does my scenario work?": `bench run --http-debug[=full]` runs the setup steps and one iteration of
// each flow, with no load, printing every request and response (redacted); `bench validate --dry-run`
// prints the first iteration's requests without sending anything. Shell code: the network, the output.
import type { Flow, Plan, RequestSpec, Step, Vars } from '../types.js';
import type { HttpOutcome, HttpTransport, OutcomeReceiver, TransportStats } from '../engine/transport-types.js';
import { httpContext, transportOptions } from '../engine/http-facts.js';
import { parseRawHeaders } from '../engine/transport-types.js';
import { createTransport } from '../engine/transport.js';
import { epochNow } from '../engine/engine.js';
import { IterationRun, type IterationContext } from '../engine/iteration.js';
import { FailureSamples } from '../engine/failure-samples.js';
import { PendingList } from '../engine/pending-list.js';
import { Aggregator } from '../metrics/aggregator.js';
import { makeRedactor, type Redactor } from '../report/redact.js';
import { isSecretHeader } from '../scenario/secrets.js';

export type DebugMode = 'headers' | 'full';

/** Bodies printed by --http-debug=full are cut here (a download is not a debugging aid). */
const MAX_PRINTED_BODY = 4096;

/** `--http-debug` → 'headers', `--http-debug=full` → 'full'; anything else is not a mode. */
export function debugMode(value: unknown): DebugMode | null {
  if (value === true || value === 'headers') return 'headers';
  if (value === 'full') return 'full';
  return null;
}

/** The request as it would go on the wire, secrets masked. */
export function describeRequest(plan: Plan, spec: RequestSpec, mode: DebugMode, redact: Redactor): string[] {
  const url = /^https?:\/\//i.test(spec.path) ? spec.path : `${plan.target}${spec.path}`;
  const lines = [`> ${spec.method} ${url}`, ...headerLines('> ', spec.headers)];
  if (spec.body !== undefined && mode === 'full') lines.push('>', ...bodyLines('> ', spec.body));
  else if (spec.body !== undefined) lines.push(`> (body: ${Buffer.byteLength(spec.body)} bytes; --http-debug=full prints it)`);
  return lines.map(redact);
}

function describeResponse(outcome: HttpOutcome, mode: DebugMode, tookMs: number, redact: Redactor): string[] {
  if (outcome.error !== null && outcome.status === 0) return [redact(`< ${outcome.error}: ${outcome.errorDetail ?? 'no response'} (${tookMs.toFixed(1)} ms)`)];
  const headers = parseRawHeaders(outcome.rawHeaders);
  const lines = [`< ${outcome.status} (${tookMs.toFixed(1)} ms)${outcome.error ? ` ${outcome.error}: ${outcome.errorDetail ?? ''}` : ''}`, ...headerLines('< ', headers)];
  if (mode === 'full' && outcome.body) lines.push('<', ...bodyLines('< ', outcome.body));
  return lines.map(redact);
}

function headerLines(prefix: string, headers: Record<string, string | string[] | undefined>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => `${prefix}${name}: ${isSecretHeader(name) ? '***' : v}`);
  });
}

function bodyLines(prefix: string, body: string): string[] {
  const cut = body.length > MAX_PRINTED_BODY ? `${body.slice(0, MAX_PRINTED_BODY)}… (${body.length - MAX_PRINTED_BODY} more characters)` : body;
  return cut.split('\n').map((line) => `${prefix}${line}`);
}

/** Prints each exchange as it happens; otherwise the real transport. */
class PrintingTransport implements HttpTransport {
  constructor(
    private readonly inner: HttpTransport,
    private readonly plan: Plan,
    private readonly mode: DebugMode,
    private readonly redact: Redactor,
    private readonly print: (line: string) => void,
  ) {}

  get inFlight(): number {
    return this.inner.inFlight;
  }

  send(spec: RequestSpec, readBody: boolean, receiver: OutcomeReceiver, sentMs: number): void {
    for (const line of describeRequest(this.plan, spec, this.mode, this.redact)) this.print(line);
    const started = epochNow();
    this.inner.send(spec, readBody || this.mode === 'full', {
      onOutcome: (outcome) => {
        for (const line of describeResponse(outcome, this.mode, epochNow() - started, this.redact)) this.print(line);
        this.print('');
        receiver.onOutcome(outcome);
      },
    }, sentMs);
  }

  idleOrAfter(ms: number): Promise<void> {
    return this.inner.idleOrAfter(ms);
  }

  abortAll(): void {
    this.inner.abortAll();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  stats(): TransportStats {
    return this.inner.stats();
  }
}

export interface DebugOutcome {
  /** journeys that did not run to their end, and failed checks */
  failed: number;
}

/** Setup steps, then one iteration of each flow, printed. */
export async function runHttpDebug(plan: Plan, mode: DebugMode, print: (line: string) => void): Promise<DebugOutcome> {
  const redact = makeRedactor(plan.secrets);
  // The run's own client settings (TLS, HTTP version, compression…), on one connection.
  const inner = createTransport(plan.target, transportOptions(plan, 1, () => undefined), epochNow);
  const samples = new FailureSamples(plan.endpoints);
  const ctx: IterationContext = {
    client: new PrintingTransport(inner, plan, mode, redact, print),
    aggregator: new Aggregator(plan.endpoints),
    now: epochNow,
    stopping: () => false,
    noteError: () => undefined,
    timers: new PendingList(),
    sends: { reached: 0, unsent: 0 },
    samples,
    ...httpContext(plan, inner),
  };
  let failed = 0;
  const journey = async (title: string, steps: readonly Step[], vars: Vars): Promise<void> => {
    print(redact(`── ${title} ──`));
    const before = samples.list.length;
    const run = await new Promise<IterationRun>((resolve) => new IterationRun(ctx, { iterationDone: (r) => resolve(r) }).start(steps, vars, epochNow()));
    for (const { endpoint, sample } of samples.list.slice(before)) print(redact(`✗ ${endpoint} ${sample.check}: expected ${sample.expected}, got ${sample.actual} (status ${sample.status})`));
    if (!run.completed) {
      failed++;
      print(redact(`✗ ${title} ended early: ${run.lastFailure ?? 'a step failed'}`));
    } else print(`✓ ${title}: every step passed`);
    print('');
  };
  try {
    const shared = plan.iterationVars(0, {});
    if (plan.setup.length > 0) await journey('setup', plan.setup, shared);
    const frozen = Object.assign(Object.create(null) as Vars, shared);
    for (const [i, flow] of plan.flows.entries()) await journey(`flow ${flow.name} (one iteration, no load)`, flow.steps, plan.iterationVars(i + 1, frozen));
  } finally {
    await inner.close();
  }
  return { failed: failed + samples.list.length };
}

/** A value captured from a response is not known without sending: it shows as its {{ name }}. */
function placeholders(vars: Vars): Vars {
  return new Proxy(vars, {
    get: (target, key) => (typeof key !== 'string' || key in target ? (target as Record<string | symbol, unknown>)[key] : `{{ ${key} }}`),
  });
}

/** bench validate --dry-run: the requests of each flow's first iteration, rendered, not sent. */
export function dryRun(plan: Plan, print: (line: string) => void): void {
  const redact = makeRedactor(plan.secrets);
  const shared = plan.iterationVars(0, {});
  const section = (title: string, steps: readonly Step[], vars: Vars): void => {
    print(redact(`── ${title} ──`));
    for (const step of steps) {
      if (step.kind === 'think') {
        print(step.minMs === step.maxMs ? `(think ${step.minMs} ms)` : `(think ${step.minMs}..${step.maxMs} ms)`);
        continue;
      }
      try {
        for (const line of describeRequest(plan, step.render(placeholders(vars)), 'full', redact)) print(line.replace(/%7B%7B%20(\w+)%20%7D%7D/g, '{{ $1 }}'));
      } catch (err) {
        print(redact(`> ${plan.endpoints[step.endpoint] ?? 'step'}: cannot be rendered without sending the steps before it (${(err as Error).message})`));
      }
      print('');
    }
  };
  if (plan.setup.length > 0) section('setup', plan.setup, shared);
  plan.flows.forEach((flow: Flow, i) => section(`flow ${flow.name}`, flow.steps, plan.iterationVars(i + 1, shared)));
}
