// Builds the handler for one role. Shared by the child entry and by tests that serve in-process.
import type { ServiceConfig } from './config.js';
import { createGateway } from './gateway.js';
import type { Handler } from './http-json.js';
import { createMonolith } from './monolith.js';
import { createPaymentService } from './payment-service.js';
import { createProductService } from './product-service.js';
import { createUserService } from './user-service.js';

export interface ServiceApp {
  handle: Handler;
  /** stops timers and pooled sockets so the process can end by itself */
  dispose(): void;
}

const nothingToDispose = (): void => undefined;

export function createServiceApp(config: ServiceConfig): ServiceApp {
  switch (config.role) {
    case 'monolith':
      return { handle: createMonolith(config), dispose: nothingToDispose };
    case 'product':
      return { handle: createProductService(config).handle, dispose: nothingToDispose };
    case 'user':
      return { handle: createUserService(config.jwtSecret), dispose: nothingToDispose };
    case 'payment':
      return { handle: createPaymentService(), dispose: nothingToDispose };
    case 'gateway': {
      if (!config.upstreams) throw new Error('gateway needs upstreams');
      return createGateway({ upstreams: config.upstreams, ...(config.breaker ? { breaker: config.breaker } : {}) });
    }
  }
}
