// Monolith: every service in one process, GraphQL resolved by a plain function call.
import { createFrontHandler } from './front.js';
import { createGraphqlHandler } from './graphql-handler.js';
import type { Handler } from './http-json.js';
import { createPaymentService } from './payment-service.js';
import { createProductService, type ProductServiceOptions } from './product-service.js';
import { createUserService } from './user-service.js';

export function createMonolith(options: ProductServiceOptions & { jwtSecret: string }): Handler {
  const products = createProductService(options);
  const services = {
    product: products.handle,
    user: createUserService(options.jwtSecret),
    payment: createPaymentService(),
  };
  return createFrontHandler(services, createGraphqlHandler(async (id) => (await products.lookup(id)).product));
}
