// What to stream where: `--stream KIND=URL` (repeatable) and the scenario's `stream:` settings.
// Credentials come from the environment only (never from a flag, a file or a URL) and are never logged.
import { UsageError } from '../errors.js';
import { parseDuration } from '../scenario/units.js';

export type StreamKind = 'prometheus' | 'otlp';

export interface StreamOutput {
  kind: StreamKind;
  url: string;
}

/** The scenario's `stream:` block (all optional). */
export interface StreamSettings {
  interval?: string;
  labels?: Record<string, string>;
  histograms?: 'native' | 'classic';
  prometheus?: string;
  otlp?: string;
}

export interface StreamConfig {
  outputs: StreamOutput[];
  intervalMs: number;
  labels: Record<string, string>;
  histograms: 'native' | 'classic';
  /** Authorization header for every output, from BENCH_STREAM_BEARER_TOKEN or BENCH_STREAM_USERNAME/PASSWORD */
  authorization?: string;
}

export const DEFAULT_STREAM_INTERVAL_MS = 5000;
const KINDS: readonly StreamKind[] = ['prometheus', 'otlp'];
const RESERVED_LABELS = new Set(['__name__', 'scenario', 'endpoint', 'target', 'segment', 'kind', 'quantile', 'le', 'slo']);

export function parseStreamFlag(text: string): StreamOutput {
  const eq = text.indexOf('=');
  const kind = text.slice(0, eq) as StreamKind;
  if (eq < 0 || !KINDS.includes(kind)) throw new UsageError(`--stream: "${text.slice(0, Math.max(eq, 0)) || text}" is not prometheus=URL or otlp=URL`);
  return { kind, url: checkUrl(text.slice(eq + 1), `--stream ${kind}`) };
}

function checkUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${where}: not a URL (expected e.g. http://127.0.0.1:9090/api/v1/write)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${where}: only http and https URLs are supported`);
  // Same rule as targets: a credential in a URL would end up in logs; the environment carries it instead.
  if (url.username || url.password) throw new UsageError(`${where}: credentials in the URL are refused; set BENCH_STREAM_BEARER_TOKEN or BENCH_STREAM_USERNAME/BENCH_STREAM_PASSWORD`);
  return url.toString();
}

export function streamConfig(flags: readonly StreamOutput[], settings: StreamSettings | undefined, env: Record<string, string | undefined>): StreamConfig | null {
  const outputs = [...flags];
  if (settings?.prometheus && !outputs.some((o) => o.kind === 'prometheus')) outputs.push({ kind: 'prometheus', url: checkUrl(settings.prometheus, 'stream.prometheus') });
  if (settings?.otlp && !outputs.some((o) => o.kind === 'otlp')) outputs.push({ kind: 'otlp', url: checkUrl(settings.otlp, 'stream.otlp') });
  if (outputs.length === 0) return null;
  const intervalMs = settings?.interval === undefined ? DEFAULT_STREAM_INTERVAL_MS : parseDuration(settings.interval);
  if (intervalMs === null || intervalMs < 1000) throw new UsageError(`stream.interval: "${settings?.interval}" must be a duration of at least 1s, e.g. 5s`);
  const labels = settings?.labels ?? {};
  for (const name of Object.keys(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) throw new UsageError(`stream.labels: "${name}" is not a Prometheus label name`);
    if (RESERVED_LABELS.has(name)) throw new UsageError(`stream.labels: "${name}" is set by bench itself`);
  }
  return { outputs, intervalMs, labels: { ...labels }, histograms: settings?.histograms ?? 'native', ...authFrom(env) };
}

function authFrom(env: Record<string, string | undefined>): { authorization?: string } {
  if (env.BENCH_STREAM_BEARER_TOKEN) return { authorization: `Bearer ${env.BENCH_STREAM_BEARER_TOKEN}` };
  if (env.BENCH_STREAM_USERNAME) {
    const basic = Buffer.from(`${env.BENCH_STREAM_USERNAME}:${env.BENCH_STREAM_PASSWORD ?? ''}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }
  return {};
}
