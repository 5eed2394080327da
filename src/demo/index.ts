// bench's built-in demo backend: the same e-commerce API as a monolith or as microservices behind a
// gateway, each server in its own child process so it never shares an event loop with the load generator.
import { randomBytes } from 'node:crypto';
import type { BreakerOptions } from './circuit-breaker.js';
import { DEFAULT_CACHE_TTL_MS, DEFAULT_STORE_LATENCY_MS, type ServiceConfig } from './config.js';
import { startService, type RunningService } from './processes.js';
import type { ServiceName } from './routes.js';

export type TopologyKind = 'monolith' | 'microservices';

export interface TopologyOptions {
  /** port of the public server (monolith or gateway); 0 (default): any free port */
  port?: number;
  /** simulated data-store latency of a product cache miss, ms */
  storeLatencyMs?: number;
  /** product read-cache TTL, ms (0 disables the cache) */
  cacheTtlMs?: number;
  /** gateway circuit breakers (microservices only) */
  breaker?: BreakerOptions;
}

export interface ProcessInfo {
  role: string;
  pid: number;
  url: string;
}

export interface Topology {
  kind: TopologyKind;
  url: string;
  /** every child process, the public one (monolith or gateway) last */
  processes: ProcessInfo[];
  stop(): Promise<void>;
}

export { DEFAULT_CACHE_TTL_MS, DEFAULT_STORE_LATENCY_MS } from './config.js';
export type { BreakerOptions } from './circuit-breaker.js';

function baseConfig(options: TopologyOptions): Omit<ServiceConfig, 'role'> {
  return {
    port: 0,
    storeLatencyMs: options.storeLatencyMs ?? DEFAULT_STORE_LATENCY_MS,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    // Fresh per topology: tokens from one demo run are worthless anywhere else.
    jwtSecret: randomBytes(32).toString('base64url'),
    ...(options.breaker ? { breaker: options.breaker } : {}),
  };
}

/** Starts all, or stops the ones that did start and rethrows. */
async function startAll(configs: ServiceConfig[]): Promise<RunningService[]> {
  const outcomes = await Promise.allSettled(configs.map(startService));
  const started = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.stop()));
    throw failed.reason;
  }
  return started;
}

async function startMicroservices(base: Omit<ServiceConfig, 'role'>, port: number): Promise<RunningService[]> {
  const services = await startAll([
    { ...base, role: 'product' },
    { ...base, role: 'user' },
    { ...base, role: 'payment' },
  ]);
  const upstreams = Object.fromEntries(services.map((s) => [s.role, s.url])) as Record<ServiceName, string>;
  try {
    const [gateway] = await startAll([{ ...base, role: 'gateway', port, upstreams }]);
    return [...services, gateway!];
  } catch (error) {
    await Promise.all(services.map((s) => s.stop()));
    throw error;
  }
}

export async function startTopology(kind: TopologyKind, options: TopologyOptions = {}): Promise<Topology> {
  const base = baseConfig(options);
  const port = options.port ?? 0;
  const running =
    kind === 'monolith' ? await startAll([{ ...base, role: 'monolith', port }]) : await startMicroservices(base, port);
  const front = running[running.length - 1]!;
  let stopping: Promise<void> | undefined;
  return {
    kind,
    url: front.url,
    processes: running.map(({ role, pid, url }) => ({ role, pid, url })),
    // Front first, so no request reaches a service that is already gone; idempotent.
    stop: () =>
      (stopping ??= front.stop().then(async () => {
        await Promise.all(running.slice(0, -1).map((s) => s.stop()));
      })),
  };
}
