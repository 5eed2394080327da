// What a demo server process is told to be: sent by the parent over IPC (not argv or env, so the
// JWT secret never shows up in `ps`).
import type { BreakerOptions } from './circuit-breaker.js';
import type { ServiceName } from './routes.js';

export type Role = 'monolith' | 'gateway' | ServiceName;

export interface ServiceConfig {
  role: Role;
  port: number;
  storeLatencyMs: number;
  cacheTtlMs: number;
  jwtSecret: string;
  /** gateway only: base URL of each service */
  upstreams?: Record<ServiceName, string>;
  breaker?: BreakerOptions;
}

/** parent → child */
export interface ConfigMessage {
  type: 'config';
  config: ServiceConfig;
}

/** child → parent */
export type ChildMessage = { type: 'ready'; port: number } | { type: 'failed'; message: string };

export const DEFAULT_STORE_LATENCY_MS = 3;
export const DEFAULT_CACHE_TTL_MS = 5000;
