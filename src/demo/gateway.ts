// Gateway: proxies each path to the service that owns it; resolves GraphQL by calling the product
// service; probes every upstream's /health periodically so a dead one trips its breaker.
import { Agent } from 'node:http';
import type { Product } from './catalog.js';
import { DEFAULT_BREAKER, type BreakerOptions } from './circuit-breaker.js';
import { createFrontHandler } from './front.js';
import { createGraphqlHandler } from './graphql-handler.js';
import { HttpError, sendJson, type Handler } from './http-json.js';
import { SERVICE_NAMES, type ServiceName } from './routes.js';
import { Upstream } from './upstream.js';

export const HEALTH_INTERVAL_MS = 1000;

export interface GatewayOptions {
  upstreams: Record<ServiceName, string>;
  breaker?: BreakerOptions;
  healthIntervalMs?: number;
}

export interface Gateway {
  handle: Handler;
  dispose(): void;
}

async function productFrom(upstream: Upstream, id: number): Promise<Product | null> {
  const { status, body } = await upstream.getJson(`/api/products/${id}`);
  if (status === 404) return null;
  if (status !== 200) throw new HttpError(502, `upstream ${upstream.name} answered ${status}`);
  return body as Product;
}

export function createGateway(options: GatewayOptions): Gateway {
  // Keep-alive: without it every proxied request would also pay a TCP handshake.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const breaker = options.breaker ?? DEFAULT_BREAKER;
  const upstreams = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, new Upstream(name, options.upstreams[name], agent, breaker)]),
  ) as Record<ServiceName, Upstream>;

  const proxyTo = (upstream: Upstream): Handler => async (req, res) => upstream.proxy(req, res);
  const front = createFrontHandler(
    { product: proxyTo(upstreams.product), user: proxyTo(upstreams.user), payment: proxyTo(upstreams.payment) },
    createGraphqlHandler((id) => productFrom(upstreams.product, id)),
  );

  const handle: Handler = async (req, res, path, query) => {
    if (path !== '/health/upstreams') return front(req, res, path, query);
    const states = Object.fromEntries(SERVICE_NAMES.map((name) => [name, upstreams[name].breaker.state]));
    sendJson(res, 200, states);
  };

  const probe = setInterval(() => {
    for (const name of SERVICE_NAMES) void upstreams[name].checkHealth();
  }, options.healthIntervalMs ?? HEALTH_INTERVAL_MS);

  return {
    handle,
    dispose() {
      clearInterval(probe);
      agent.destroy();
    },
  };
}
